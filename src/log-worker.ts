// Entrypoint of the provisioning log's thread (src/modules/log/log-worker.ts). It sits beside index.ts: in the
// executable, where it is an entrypoint of its own (scripts/build.ts), it is found at the same place.
import "./modules/log/log-worker";
