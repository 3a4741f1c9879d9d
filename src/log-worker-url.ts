// Where the log's thread starts. Resolved here, beside the entrypoints: in the compiled executable every
// module's import.meta.url is the executable's root, which holds the entrypoints as src/ does.
export const LOG_WORKER_URL = new URL("./log-worker.ts", import.meta.url).href;
