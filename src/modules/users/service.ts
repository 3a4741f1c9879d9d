// Users: create, read, list, replace, patch, delete — each write one transaction, each error a ScimError.
import type { Database } from "bun:sqlite";
import { inOneRead, inOneWrite } from "../../db/transactions";
import { badRequest } from "../../errors";
import type { ListParams } from "../../scim/list-params";
import { applyPatch, type PatchResult, sameResource } from "../../scim/patch";
import { checkImmutable, normalizeResource } from "../../scim/schema/normalize";
import { attributesNamed, keepUnasserted } from "../../scim/schema/replace-keeps";
import type { ProjectionOptions } from "../../scim/schema/project";
import type { ScimResource } from "../../scim/schema/types";
import { type BaseRow, withIdAndMeta } from "../../store/resource-meta";
import { touchGroupsShowing } from "../../store/member-renamed";
import { userEtag } from "../../store/user-etag";
import { type GroupOfUser, indexedUserColumns, USER_COLUMNS, type PasswordWrite, type UserRow, UserStore, userColumns, userWrite } from "../../store/users";
import type { CursorCodec } from "../resources/cursor";
import { type ListSource, listPage, pageJson, type RootSide } from "../resources/list";
import type { Written } from "../resources/routes";
import type { RegistryCache } from "../resources/registry-cache";
import { render, renderJson } from "../resources/render";
import { checkIfMatch, mustExist, uniquely, unwrap, whileTenantServes } from "../resources/write-helpers";

/** A PATCH's answer: the user as JSON text, and what the route and the log need to know of it. */
export interface PatchAnswer {
  json: string;
  userName: string;
  etag: string;
}

interface Patched {
  row: UserRow;
  original: ScimResource;
  result: PatchResult;
}

/** A PUT that omits `active` must not re-enable a user the IdP disabled. */
const STICKY_ON_PUT = ["active"];

const setsPassword = (p: Patched) => typeof p.result.resource.password === "string";

/** A PATCH that names password and leaves none (remove, or a null or "" value) clears it. */
const clearsPassword = (p: Patched) => p.result.named.has("password") && !setsPassword(p);

/** What a group shows as this member's display when none was given (store/member-renamed.ts). */
const shownName = (user: ScimResource) => (typeof user.displayName === "string" ? user.displayName : String(user.userName));

const hashPassword = (password: string) => Bun.password.hash(password, { algorithm: "argon2id", memoryCost: 19456, timeCost: 2 });

async function passwordHash(resource: ScimResource): Promise<string | null> {
  return typeof resource.password === "string" ? hashPassword(resource.password) : null;
}

export class UserService {
  readonly store: UserStore;
  /** The table list pages read (list and listJson). */
  private readonly listSource: ListSource;

  constructor(
    private db: Database,
    private registries: RegistryCache,
    private baseUrl: () => string,
    private cursors: CursorCodec,
  ) {
    this.store = new UserStore(db);
    this.listSource = { db, table: "users", columns: USER_COLUMNS };
  }

  private location(tenant: string, id: string) {
    return `${this.baseUrl()}/scim/v2/${tenant}/Users/${id}`;
  }

  /** The user's ETag, and what it was made from: the groups are read whatever the projection (see userEtag). */
  private versioned(tenant: string, row: BaseRow, created = false) {
    const groups = created ? [] : this.store.groupsOf(tenant, row.id);
    return { groups, etag: userEtag(row.version, groups) };
  }

  /**
   * `stored`: the object `row.data` was just written from, rendered in its place (see userWrite).
   * `created`: the user was made by this request, so it is in no group yet and none need be looked up.
   */
  render(tenant: string, row: BaseRow, projection: ProjectionOptions = {}, stored?: ScimResource, created = false): ScimResource {
    return this.rendered(tenant, row, projection, stored, created).resource;
  }

  private rendered(tenant: string, row: BaseRow, projection: ProjectionOptions, stored?: ScimResource, created = false): Written {
    const registry = this.registries.forTenant(tenant);
    const { groups, etag } = this.versioned(tenant, row, created);
    const base = withIdAndMeta(row, "User", this.location(tenant, row.id), stored, etag);
    return { resource: render(registry, "User", base, projection, this.derived(tenant, groups)), etag };
  }

  private derived(tenant: string, groups: GroupOfUser[]) {
    return {
      groups: () =>
        groups.map((g) => ({
          value: g.value,
          $ref: `${this.baseUrl()}/scim/v2/${tenant}/Groups/${g.value}`,
          display: g.display,
          type: g.type,
        })),
    };
  }

  /** RFC 7644 §3.14 against the user's ETag; its groups are read only when a client sent If-Match. */
  private checkIfMatch(tenant: string, row: UserRow, ifMatch: string | null) {
    if (ifMatch !== null) checkIfMatch(ifMatch, this.versioned(tenant, row).etag);
  }

  private reread(tenant: string, id: string, projection: ProjectionOptions): Written {
    return inOneRead(this.db, () => this.rendered(tenant, mustExist(this.store.get(tenant, id), "User", id), projection));
  }

  async create(tenant: string, body: unknown, projection: ProjectionOptions): Promise<Written> {
    const resource = unwrap(normalizeResource(this.registries.forTenant(tenant), "User", body));
    const hash = await passwordHash(resource);
    // Time-ordered ids (UUIDv7) keep new rows together in the b-trees: inserts touch few pages.
    const id = Bun.randomUUIDv7();
    const { cols, stored } = userWrite(resource);
    const now = new Date().toISOString();
    // One statement, but under inOneWrite all the same: the change watch then knows the commit is this process's.
    inOneWrite(this.db, () =>
      whileTenantServes(tenant, () => uniquely(`userName ${JSON.stringify(resource.userName)}`, () => this.store.insert(tenant, id, cols, hash, now))),
    );
    // What was just written is what a read would return: render it without reading it back.
    const row: UserRow = { pk: 0, id, user_name: cols.userName, data: cols.data, created: now, last_modified: now, version: 1 };
    return this.rendered(tenant, row, projection, stored, true);
  }

  get(tenant: string, id: string, projection: ProjectionOptions): Written {
    return this.reread(tenant, id, projection);
  }

  list(tenant: string, params: ListParams) {
    const registry = this.registries.forTenant(tenant);
    return listPage<UserRow>(this.listSource, this.cursors, registry, "User", tenant, params, (row) => this.render(tenant, row, params));
  }

  /** What a search at the tenant root reads of Users, and how it renders them (see searchAcross). */
  rootSide(tenant: string, params: ListParams): RootSide {
    return { resourceType: "User", source: this.listSource, registry: this.registries.forTenant(tenant), render: (row) => this.render(tenant, row, params) };
  }

  /** The list as the JSON text of its answer (see renderJson). */
  listJson(tenant: string, params: ListParams) {
    const registry = this.registries.forTenant(tenant);
    const page = listPage<UserRow, string>(this.listSource, this.cursors, registry, "User", tenant, params, (row) => this.renderJson(tenant, row, params).json);
    return { totalResults: page.totalResults, json: pageJson(page) };
  }

  /**
   * RFC 7644 §3.5.1: PUT replaces every writable attribute; immutable ones may not change. What the body omits is
   * cleared, except `active` and writeOnly attributes, which keep their stored value (see keepUnasserted). The
   * password hash, in a column of its own, follows the same rule: kept when the body omits password, replaced by
   * a new one, cleared by `"password": null`.
   */
  async replace(tenant: string, id: string, body: unknown, ifMatch: string | null, projection: ProjectionOptions): Promise<Written> {
    const registry = this.registries.forTenant(tenant);
    // 404, then 412, then the body's 400, as PATCH answers: preconditions are evaluated before the content is
    // processed (RFC 9110 §13.2.2). Checked again below, in the write's transaction, for a change made meanwhile.
    inOneRead(this.db, () => this.checkIfMatch(tenant, mustExist(this.store.get(tenant, id), "User", id), ifMatch));
    const normalized = unwrap(normalizeResource(registry, "User", body));
    const hash = await passwordHash(normalized);
    const named = attributesNamed(registry, "User", body);
    const password: PasswordWrite = hash !== null ? { hash } : named.has("password") ? "clear" : "keep";
    return inOneWrite(this.db, () => {
      const row = mustExist(this.store.get(tenant, id), "User", id);
      this.checkIfMatch(tenant, row, ifMatch);
      const stored = JSON.parse(row.data) as ScimResource;
      const next = unwrap(keepUnasserted(registry, "User", named, stored, normalized, STICKY_ON_PUT));
      unwrap(checkImmutable(registry, "User", stored, next));
      const written = userWrite(next);
      // A PUT of what is stored keeps the version, as a PATCH that changes nothing does.
      if (!this.changesPassword(tenant, id, password) && sameResource(stored, written.stored)) return this.reread(tenant, id, projection);
      const { cols } = written;
      const now = new Date().toISOString();
      uniquely(`userName ${JSON.stringify(next.userName)}`, () => this.store.update(tenant, id, cols, password, now));
      if (shownName(next) !== shownName(stored)) touchGroupsShowing(this.db, tenant, id, now);
      return this.reread(tenant, id, projection);
    });
  }

  async patch(tenant: string, id: string, body: unknown, ifMatch: string | null, projection: ProjectionOptions): Promise<PatchAnswer> {
    // Nearly every PATCH sets no password: read, patch, write and render in one transaction, one lock.
    const first = inOneWrite(this.db, () => {
      const p = this.patched(tenant, id, body, ifMatch);
      if (setsPassword(p)) return { password: String(p.result.resource.password) };
      return this.answer(tenant, id, p, clearsPassword(p) ? "clear" : "keep", projection);
    });
    if (!("password" in first)) return first;
    // Hashing yields to other requests, so it holds no transaction. The password is the body's whatever version
    // the PATCH applies to, so its hash fits the user as it is once hashed: read, patch and write that in one
    // transaction (412 when If-Match named the version hashing began at and the user changed since).
    const hash = await hashPassword(first.password);
    return inOneWrite(this.db, () => {
      const p = this.patched(tenant, id, body, ifMatch);
      if (p.result.resource.password !== first.password) throw new Error("a PATCH's password depends on the stored user");
      return this.answer(tenant, id, p, { hash }, projection);
    });
  }

  /** The user as it is, and as the PATCH would leave it. */
  private patched(tenant: string, id: string, body: unknown, ifMatch: string | null): Patched {
    const row = mustExist(this.store.get(tenant, id), "User", id);
    this.checkIfMatch(tenant, row, ifMatch);
    const original = JSON.parse(row.data) as ScimResource;
    const result = unwrap(applyPatch(this.registries.forTenant(tenant), "User", original, body));
    if (result.members.length) throw badRequest("invalidPath", "Users have no members attribute");
    return { row, original, result };
  }

  /** A new hash, or a clear with a stored hash to clear: a change even when the resource is the same. */
  private changesPassword(tenant: string, id: string, password: PasswordWrite): boolean {
    return typeof password === "object" || (password === "clear" && this.store.hasPassword(tenant, id));
  }

  /**
   * Writes the patched user over the version it was read at, in the transaction that read it. The answer is JSON
   * text spliced from the data just written (see renderJson), as a list's resources are. Clearing a password
   * changes nothing in the resource, so it is written only when there is a hash to clear.
   */
  private answer(tenant: string, id: string, { row, original, result }: Patched, password: PasswordWrite, projection: ProjectionOptions): PatchAnswer {
    if (!result.changed && !this.changesPassword(tenant, id, password)) return { ...this.renderJson(tenant, row, projection), userName: row.user_name };
    const cols = userColumns(result.resource);
    const now = new Date().toISOString();
    const written = uniquely(`userName ${JSON.stringify(result.resource.userName)}`, () =>
      this.store.update(tenant, id, cols, password, now, row.version, indexedUserColumns(original)),
    );
    // The version was read in this transaction, so nothing can have come in between.
    if (!written) throw new Error("the user changed inside its own write transaction");
    if (shownName(result.resource) !== shownName(original)) touchGroupsShowing(this.db, tenant, id, now);
    const after: UserRow = { ...row, user_name: cols.userName, data: cols.data, last_modified: now, version: row.version + 1 };
    return { ...this.renderJson(tenant, after, projection), userName: cols.userName };
  }

  private renderJson(tenant: string, row: UserRow, projection: ProjectionOptions): { json: string; etag: string } {
    const registry = this.registries.forTenant(tenant);
    const { groups, etag } = this.versioned(tenant, row);
    return { json: renderJson(registry, "User", row, this.location(tenant, row.id), projection, this.derived(tenant, groups), etag), etag };
  }

  delete(tenant: string, id: string, ifMatch: string | null) {
    inOneWrite(this.db, () => {
      const row = mustExist(this.store.get(tenant, id), "User", id);
      this.checkIfMatch(tenant, row, ifMatch);
      this.store.delete(tenant, id, new Date().toISOString());
    });
  }
}
