// The loop of the filter differential tests (test/http/filter-differential*.test.ts): random filters over the
// attributes /Schemas advertises for one resource type, each answered by the real router (GET ?filter, every
// fifth through POST /.search) and by the reference evaluator over the resources as GET lists them.
import type { Client, Doc } from "../http/client";
import { idsOf, q, rng } from "../http/client";
import type { Rng } from "./filter-fixtures";
import { leavesOf, randomFilter } from "./filter-generator";
import { type AttrInfo, COMMON_ATTRIBUTES, referenceIds, type RefSchemas, type SchemaInfo } from "./filter-reference";

const attrInfo = (d: Doc): AttrInfo => ({
  name: String(d.name),
  type: String(d.type),
  multiValued: d.multiValued === true,
  caseExact: d.caseExact === true,
  ...(Array.isArray(d.subAttributes) ? { subAttributes: (d.subAttributes as Doc[]).map(attrInfo) } : {}),
});
const schemaInfo = (d: Doc): SchemaInfo => ({ id: String(d.id), attributes: (d.attributes as Doc[]).map(attrInfo) });

/** The core schema and the named extensions as /Schemas advertises them. */
export async function advertisedSchemas(c: Client, core: string, extensionIds: string[]): Promise<RefSchemas> {
  const listed = (await c.get("/Schemas")).body.Resources as Doc[];
  const found = listed.find((s) => s.id === core);
  if (!found) throw new Error(`no ${core} in /Schemas`);
  return { core: schemaInfo(found), extensions: listed.filter((s) => extensionIds.includes(String(s.id))).map(schemaInfo) };
}

export interface Mismatch {
  seed: number;
  filter: string;
  via: string;
  server: string[] | string;
  reference: string[] | "refused";
}

/** `endpoint` is "/Users" or "/Groups"; `resources` are what GET lists there. */
export async function differential(
  c: Client,
  endpoint: string,
  schemas: RefSchemas,
  resources: Doc[],
  seed: number,
  filters: number,
): Promise<Mismatch[]> {
  const serverIds = async (filter: string, viaSearch: boolean): Promise<string[] | string> => {
    const r = viaSearch
      ? await c.post(`${endpoint}/.search`, { filter, count: 1000 })
      : await c.get(`${endpoint}?filter=${q(filter)}&count=1000`);
    if (r.status === 200) return idsOf(r.body).sort();
    return `${r.status} ${String(r.body.scimType)}: ${String(r.body.detail)}`;
  };
  const r: Rng = rng(seed ^ 0x5eed);
  const leaves = leavesOf(schemas, COMMON_ATTRIBUTES, resources);
  const mismatches: Mismatch[] = [];
  for (let i = 0; i < filters; i++) {
    const { filter, text } = randomFilter(r, leaves, schemas.extensions.map((e) => e.id), schemas.core.id);
    const reference = referenceIds(schemas, filter, resources);
    const viaSearch = i % 5 === 4;
    const server = await serverIds(text, viaSearch);
    const agree =
      reference === "refused"
        ? typeof server === "string" && server.startsWith("400 invalidFilter")
        : Array.isArray(server) && server.join() === reference.join();
    const via = viaSearch ? `POST ${endpoint}/.search` : `GET ${endpoint}`;
    if (!agree) mismatches.push({ seed, filter: text, via, server, reference });
  }
  return mismatches;
}
