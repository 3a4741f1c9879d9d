/** Where the path of an absolute URL (`request.url`) starts: read without building a URL object. */
export const pathStart = (url: string) => url.indexOf("/", url.indexOf("://") + 3);
