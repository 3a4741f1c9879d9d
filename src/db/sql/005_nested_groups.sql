-- Group-in-group memberships of a tenant, for a User's indirect `groups` (RFC 7643 §4.1.2): one probe of this
-- index tells whether a tenant nests groups at all. Entra never does, so most tenants skip the climb.
CREATE INDEX group_members_nested ON group_members(tenant_id) WHERE member_type = 'Group';
