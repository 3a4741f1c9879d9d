// Groups: members live in their own table; `excludedAttributes=members` never reads them.
import type { Database } from "bun:sqlite";
import { inOneRead, inOneWrite } from "../../db/transactions";
import type { ListParams } from "../../scim/list-params";
import { applyPatch, sameResource } from "../../scim/patch";
import { checkImmutable, normalizeResource } from "../../scim/schema/normalize";
import type { ProjectionOptions } from "../../scim/schema/project";
import { attributesNamed, keepUnasserted } from "../../scim/schema/replace-keeps";
import type { ScimResource } from "../../scim/schema/types";
import { GROUP_COLUMNS, GroupStore, groupColumns, groupData } from "../../store/groups";
import { touchGroupsShowing } from "../../store/member-renamed";
import { type BaseRow, etagOf, withIdAndMeta } from "../../store/resource-meta";
import type { CursorCodec } from "../resources/cursor";
import { type ListSource, listPage, pageJson, type RootSide } from "../resources/list";
import type { RegistryCache } from "../resources/registry-cache";
import { render, renderJson } from "../resources/render";
import { checkIfMatch, mustExist, uniquely, unwrap, whileTenantServes } from "../resources/write-helpers";
import type { Written } from "../resources/routes";
import { applyMemberOps, membersSent } from "./members";

export class GroupService {
  readonly store: GroupStore;
  /** The table list pages read (list and listJson). */
  private readonly listSource: ListSource;

  constructor(
    private db: Database,
    private registries: RegistryCache,
    private baseUrl: () => string,
    private cursors: CursorCodec,
  ) {
    this.store = new GroupStore(db);
    this.listSource = { db, table: "groups", columns: GROUP_COLUMNS };
  }

  private url(tenant: string, type: "Users" | "Groups", id: string) {
    return `${this.baseUrl()}/scim/v2/${tenant}/${type}/${id}`;
  }

  render(tenant: string, row: BaseRow, projection: ProjectionOptions = {}): ScimResource {
    const registry = this.registries.forTenant(tenant);
    const base = withIdAndMeta(row, "Group", this.url(tenant, "Groups", row.id));
    return render(registry, "Group", base, projection, this.derived(tenant, row));
  }

  private derived(tenant: string, row: BaseRow) {
    return {
      members: () =>
        this.store.members(tenant, row.id).map((m) => ({
          value: m.value,
          $ref: this.url(tenant, m.type === "User" ? "Users" : "Groups", m.value),
          display: m.display ?? undefined,
          type: m.type,
        })),
    };
  }

  private reread(tenant: string, id: string, projection: ProjectionOptions): Written {
    return inOneRead(this.db, () => {
      const row = mustExist(this.store.get(tenant, id), "Group", id);
      return { resource: this.render(tenant, row, projection), etag: etagOf(row.version) };
    });
  }

  create(tenant: string, body: unknown, projection: ProjectionOptions): Written {
    const registry = this.registries.forTenant(tenant);
    const members = membersSent(registry, body);
    const resource = unwrap(normalizeResource(registry, "Group", body));
    // Time-ordered ids (UUIDv7) keep new rows together in the b-trees: inserts touch few pages.
    const id = Bun.randomUUIDv7();
    // Written and read back under one lock.
    return inOneWrite(this.db, () => {
      whileTenantServes(tenant, () =>
        uniquely(`displayName ${JSON.stringify(resource.displayName)}`, () => this.store.insert(tenant, id, groupColumns(resource), new Date().toISOString())),
      );
      applyMemberOps(this.store, tenant, id, [{ kind: "add", members }]);
      return this.reread(tenant, id, projection);
    });
  }

  get(tenant: string, id: string, projection: ProjectionOptions): Written {
    return this.reread(tenant, id, projection);
  }

  list(tenant: string, params: ListParams) {
    const registry = this.registries.forTenant(tenant);
    return listPage(this.listSource, this.cursors, registry, "Group", tenant, params, (row) => this.render(tenant, row, params));
  }

  /** What a search at the tenant root reads of Groups, and how it renders them (see searchAcross). */
  rootSide(tenant: string, params: ListParams): RootSide {
    return { resourceType: "Group", source: this.listSource, registry: this.registries.forTenant(tenant), render: (row) => this.render(tenant, row, params) };
  }

  /** The list as the JSON text of its answer (see renderJson). */
  listJson(tenant: string, params: ListParams) {
    const registry = this.registries.forTenant(tenant);
    const page = listPage<BaseRow, string>(this.listSource, this.cursors, registry, "Group", tenant, params, (row) =>
      renderJson(registry, "Group", row, this.url(tenant, "Groups", row.id), params, this.derived(tenant, row)),
    );
    return { totalResults: page.totalResults, json: pageJson(page) };
  }

  /**
   * RFC 7644 §3.5.1: PUT replaces the group whole, members included; what the body omits is cleared, except
   * writeOnly attributes of the tenant's extensions, which keep their stored value (see keepUnasserted).
   */
  replace(tenant: string, id: string, body: unknown, ifMatch: string | null, projection: ProjectionOptions): Written {
    const registry = this.registries.forTenant(tenant);
    return inOneWrite(this.db, () => {
      const row = mustExist(this.store.get(tenant, id), "Group", id);
      checkIfMatch(ifMatch, etagOf(row.version));
      // The body is read after the preconditions, as PATCH reads it (RFC 9110 §13.2.2): 404, then 412, then 400.
      const members = membersSent(registry, body);
      const normalized = unwrap(normalizeResource(registry, "Group", body));
      const before = JSON.parse(row.data) as ScimResource;
      const next = unwrap(keepUnasserted(registry, "Group", attributesNamed(registry, "Group", body), before, normalized));
      unwrap(checkImmutable(registry, "Group", before, next));
      const now = new Date().toISOString();
      const membersChanged = applyMemberOps(this.store, tenant, id, [{ kind: "replace", members }]);
      // A PUT of what is stored keeps the version, as a PATCH that changes nothing does.
      if (!sameResource(before, groupData(next))) {
        uniquely(`displayName ${JSON.stringify(next.displayName)}`, () => this.store.update(tenant, id, groupColumns(next), now));
        if (next.displayName !== before.displayName) touchGroupsShowing(this.db, tenant, id, now);
      } else if (membersChanged) {
        this.store.touch(tenant, id, now);
      }
      return this.reread(tenant, id, projection);
    });
  }

  /** Returns the new version; the resource is rendered only when the caller asks for it. */
  patch(tenant: string, id: string, body: unknown, ifMatch: string | null): number {
    const registry = this.registries.forTenant(tenant);
    return inOneWrite(this.db, () => {
      const row = mustExist(this.store.get(tenant, id), "Group", id);
      checkIfMatch(ifMatch, etagOf(row.version));
      const before = JSON.parse(row.data) as ScimResource;
      const result = unwrap(applyPatch(registry, "Group", before, body));
      const now = new Date().toISOString();
      const membersChanged = applyMemberOps(this.store, tenant, id, result.members);
      if (result.changed && JSON.stringify(result.resource) !== row.data) {
        uniquely(`displayName ${JSON.stringify(result.resource.displayName)}`, () =>
          this.store.update(tenant, id, groupColumns(result.resource), now),
        );
        if (result.resource.displayName !== before.displayName) touchGroupsShowing(this.db, tenant, id, now);
        return row.version + 1;
      }
      if (membersChanged) {
        this.store.touch(tenant, id, now);
        return row.version + 1;
      }
      return row.version;
    });
  }

  delete(tenant: string, id: string, ifMatch: string | null) {
    inOneWrite(this.db, () => {
      const row = mustExist(this.store.get(tenant, id), "Group", id);
      checkIfMatch(ifMatch, etagOf(row.version));
      this.store.delete(tenant, id, new Date().toISOString());
    });
  }
}
