// A path with malformed percent-encoding (`/Schemas/%ZZ`) names nothing, and the router would hand its routes
// null for that segment: it is answered 400 before routing (on-error renders it). Only the path counts; the
// query string is decoded, and judged, parameter by parameter.
import { pathStart } from "./url-path";

export function hasMalformedPath(url: string): boolean {
  const start = pathStart(url);
  if (start < 0) return false;
  const query = url.indexOf("?", start);
  const end = query < 0 ? url.length : query;
  const percent = url.indexOf("%", start);
  if (percent < 0 || percent >= end) return false;
  try {
    decodeURIComponent(url.slice(start, end));
    return false;
  } catch {
    return true;
  }
}
