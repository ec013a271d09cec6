-- Users, workspaces, roles, memberships, API keys, audit log, system settings.
CREATE OR REPLACE FUNCTION verdict_set_updated_at() RETURNS trigger AS $$
BEGIN
  NEW.updated_at = now();
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TABLE roles (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name        varchar(32) NOT NULL UNIQUE,
  scope       varchar(16) NOT NULL CHECK (scope IN ('platform', 'workspace')),
  description text NOT NULL DEFAULT '',
  permissions text[] NOT NULL DEFAULT '{}',
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE users (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  username      varchar(64) NOT NULL,
  email         varchar(255) NOT NULL,
  full_name     varchar(255) NOT NULL,
  password_hash varchar(255),
  role_id       uuid NOT NULL REFERENCES roles(id) ON DELETE RESTRICT,
  auth_provider varchar(16) NOT NULL DEFAULT 'local' CHECK (auth_provider IN ('local', 'oidc')),
  external_id   varchar(255) UNIQUE,
  is_active     boolean NOT NULL DEFAULT true,
  last_login_at timestamptz,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_username_key ON users (lower(username));
CREATE UNIQUE INDEX users_email_key ON users (lower(email));
CREATE INDEX users_role_id_idx ON users (role_id);

CREATE TABLE workspaces (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name         varchar(255) NOT NULL,
  slug         varchar(100) NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
  description  text,
  settings     jsonb NOT NULL DEFAULT '{}',
  created_by   uuid REFERENCES users(id) ON DELETE SET NULL,
  member_count integer NOT NULL DEFAULT 0 CHECK (member_count >= 0),
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX workspaces_created_by_idx ON workspaces (created_by);

CREATE TABLE workspace_memberships (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  user_id      uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  role_id      uuid NOT NULL REFERENCES roles(id) ON DELETE RESTRICT,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT workspace_memberships_unique UNIQUE (workspace_id, user_id)
);
CREATE INDEX workspace_memberships_user_id_idx ON workspace_memberships (user_id);
CREATE INDEX workspace_memberships_role_id_idx ON workspace_memberships (role_id);

-- Keeps workspaces.member_count true whatever path adds or removes a member.
CREATE OR REPLACE FUNCTION verdict_count_members() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    UPDATE workspaces SET member_count = member_count + 1 WHERE id = NEW.workspace_id;
  ELSIF TG_OP = 'DELETE' THEN
    UPDATE workspaces SET member_count = member_count - 1 WHERE id = OLD.workspace_id;
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER workspace_memberships_count AFTER INSERT OR DELETE ON workspace_memberships
  FOR EACH ROW EXECUTE FUNCTION verdict_count_members();

CREATE TABLE api_keys (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id      uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  workspace_id uuid REFERENCES workspaces(id) ON DELETE CASCADE,
  name         varchar(255) NOT NULL,
  prefix       varchar(16) NOT NULL,
  key_hash     char(64) NOT NULL UNIQUE,
  scopes       text[] NOT NULL DEFAULT '{}',
  last_used_at timestamptz,
  expires_at   timestamptz,
  revoked_at   timestamptz,
  created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX api_keys_user_id_idx ON api_keys (user_id);
CREATE INDEX api_keys_workspace_id_idx ON api_keys (workspace_id);

CREATE TABLE audit_logs (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id  uuid REFERENCES workspaces(id) ON DELETE SET NULL,
  user_id       uuid REFERENCES users(id) ON DELETE SET NULL,
  user_email    varchar(255),
  user_role     varchar(50),
  action        varchar(100) NOT NULL,
  category      varchar(50) NOT NULL,
  resource_type varchar(100),
  resource_id   varchar(255),
  resource_name varchar(255),
  description   text,
  details       jsonb NOT NULL DEFAULT '{}',
  ip_address    varchar(45),
  user_agent    text,
  status        varchar(20) NOT NULL DEFAULT 'SUCCESS' CHECK (status IN ('SUCCESS', 'FAILURE')),
  error_message text,
  created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX audit_logs_workspace_id_idx ON audit_logs (workspace_id);
CREATE INDEX audit_logs_user_id_idx ON audit_logs (user_id);
CREATE INDEX audit_logs_category_idx ON audit_logs (category);
CREATE INDEX audit_logs_created_at_idx ON audit_logs (created_at);

CREATE TABLE system_config (
  key         varchar(255) PRIMARY KEY,
  value       jsonb NOT NULL,
  description text,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TRIGGER roles_updated_at BEFORE UPDATE ON roles FOR EACH ROW EXECUTE FUNCTION verdict_set_updated_at();
CREATE TRIGGER users_updated_at BEFORE UPDATE ON users FOR EACH ROW EXECUTE FUNCTION verdict_set_updated_at();
CREATE TRIGGER workspaces_updated_at BEFORE UPDATE ON workspaces FOR EACH ROW EXECUTE FUNCTION verdict_set_updated_at();
CREATE TRIGGER workspace_memberships_updated_at BEFORE UPDATE ON workspace_memberships FOR EACH ROW EXECUTE FUNCTION verdict_set_updated_at();
CREATE TRIGGER system_config_updated_at BEFORE UPDATE ON system_config FOR EACH ROW EXECUTE FUNCTION verdict_set_updated_at();
