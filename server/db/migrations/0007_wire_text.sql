-- Each synced row's wire text, as a pull answer asked as arrays carries it, kept with the row:
-- PostgreSQL writes it once per write instead of once per pull (server/sync/wire-json.ts,
-- storedWireExpression, which these expressions came from; wire-json.test.ts checks they still
-- agree). A generated column may only call immutable functions: these two wrap the ones the
-- text needs. Both are immutable in fact: the instant is formatted in UTC with a pattern that
-- reads no locale setting, and to_json of a text, boolean or double depends on no setting
-- (doubles as their shortest exact text, as extra_float_digits >= 1 gives, the default).
CREATE FUNCTION wire_instant(timestamptz) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT to_char($1 AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') $$;
--> statement-breakpoint
CREATE FUNCTION wire_json(anyelement) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT to_json($1)::text $$;
--> statement-breakpoint
ALTER TABLE "forms" ADD COLUMN "wire" text GENERATED ALWAYS AS ('["' || "id"::text || '","' || wire_instant("updated_at") || '",' || coalesce('"' || (wire_instant("deleted_at"))::text || '"', 'null') || ',' || "server_version"::text || ',"' || wire_instant("server_updated_at") || '",' || wire_json("written_by") || ',' || wire_json("title") || ',' || coalesce((wire_json("description"))::text, 'null') || ',' || wire_json("status") || ']') STORED;
--> statement-breakpoint
ALTER TABLE "form_sections" ADD COLUMN "wire" text GENERATED ALWAYS AS ('["' || "id"::text || '","' || wire_instant("updated_at") || '",' || coalesce('"' || (wire_instant("deleted_at"))::text || '"', 'null') || ',' || "server_version"::text || ',"' || wire_instant("server_updated_at") || '",' || wire_json("written_by") || ',"' || "form_id"::text || '",' || coalesce((wire_json("title"))::text, 'null') || ',' || "position"::text || ']') STORED;
--> statement-breakpoint
ALTER TABLE "fields" ADD COLUMN "wire" text GENERATED ALWAYS AS ('["' || "id"::text || '","' || wire_instant("updated_at") || '",' || coalesce('"' || (wire_instant("deleted_at"))::text || '"', 'null') || ',' || "server_version"::text || ',"' || wire_instant("server_updated_at") || '",' || wire_json("written_by") || ',"' || "form_id"::text || '",' || coalesce('"' || ("section_id"::text)::text || '"', 'null') || ',' || wire_json("label") || ',' || wire_json("type") || ',' || wire_json("required") || ',' || coalesce(("options"::text)::text, 'null') || ',' || "position"::text || ']') STORED;
--> statement-breakpoint
ALTER TABLE "form_templates" ADD COLUMN "wire" text GENERATED ALWAYS AS ('["' || "id"::text || '","' || wire_instant("updated_at") || '",' || coalesce('"' || (wire_instant("deleted_at"))::text || '"', 'null') || ',' || "server_version"::text || ',"' || wire_instant("server_updated_at") || '",' || wire_json("written_by") || ',' || wire_json("name") || ',' || coalesce(("definition"::text)::text, 'null') || ']') STORED;
--> statement-breakpoint
ALTER TABLE "submissions" ADD COLUMN "wire" text GENERATED ALWAYS AS ('["' || "id"::text || '","' || wire_instant("updated_at") || '",' || coalesce('"' || (wire_instant("deleted_at"))::text || '"', 'null') || ',' || "server_version"::text || ',"' || wire_instant("server_updated_at") || '",' || wire_json("written_by") || ',"' || "form_id"::text || '",' || wire_json("status") || ',' || coalesce((wire_json("store_id"))::text, 'null') || ',' || coalesce((wire_json("submitted_by"))::text, 'null') || ',' || coalesce('"' || (wire_instant("completed_at"))::text || '"', 'null') || ']') STORED;
--> statement-breakpoint
ALTER TABLE "submission_answers" ADD COLUMN "wire" text GENERATED ALWAYS AS ('["' || "id"::text || '","' || wire_instant("updated_at") || '",' || coalesce('"' || (wire_instant("deleted_at"))::text || '"', 'null') || ',' || "server_version"::text || ',"' || wire_instant("server_updated_at") || '",' || wire_json("written_by") || ',"' || "submission_id"::text || '","' || "field_id"::text || '",' || coalesce(("value"::text)::text, 'null') || ']') STORED;
--> statement-breakpoint
ALTER TABLE "team" ADD COLUMN "wire" text GENERATED ALWAYS AS ('["' || "id"::text || '","' || wire_instant("updated_at") || '",' || coalesce('"' || (wire_instant("deleted_at"))::text || '"', 'null') || ',' || "server_version"::text || ',"' || wire_instant("server_updated_at") || '",' || wire_json("written_by") || ',' || wire_json("name") || ',' || coalesce((wire_json("role"))::text, 'null') || ',' || coalesce((wire_json("store_id"))::text, 'null') || ',' || coalesce((wire_json("email"))::text, 'null') || ',' || wire_json("active") || ']') STORED;
--> statement-breakpoint
ALTER TABLE "kpi_data" ADD COLUMN "wire" text GENERATED ALWAYS AS ('["' || "id"::text || '","' || wire_instant("updated_at") || '",' || coalesce('"' || (wire_instant("deleted_at"))::text || '"', 'null') || ',' || "server_version"::text || ',"' || wire_instant("server_updated_at") || '",' || wire_json("written_by") || ',' || wire_json("metric") || ',' || wire_json("value") || ',' || coalesce((wire_json("store_id"))::text, 'null') || ',' || coalesce((wire_json("period"))::text, 'null') || ',' || coalesce((wire_json("target"))::text, 'null') || ']') STORED;
--> statement-breakpoint
ALTER TABLE "settings" ADD COLUMN "wire" text GENERATED ALWAYS AS ('["' || "id"::text || '","' || wire_instant("updated_at") || '",' || coalesce('"' || (wire_instant("deleted_at"))::text || '"', 'null') || ',' || "server_version"::text || ',"' || wire_instant("server_updated_at") || '",' || wire_json("written_by") || ',' || wire_json("key") || ',' || coalesce(("value"::text)::text, 'null') || ']') STORED;
--> statement-breakpoint
ALTER TABLE "stores" ADD COLUMN "wire" text GENERATED ALWAYS AS ('["' || "id"::text || '","' || wire_instant("updated_at") || '",' || coalesce('"' || (wire_instant("deleted_at"))::text || '"', 'null') || ',' || "server_version"::text || ',"' || wire_instant("server_updated_at") || '",' || wire_json("written_by") || ',' || wire_json("code") || ',' || wire_json("name") || ',' || coalesce((wire_json("region"))::text, 'null') || ',' || wire_json("active") || ']') STORED;
