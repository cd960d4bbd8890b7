// Versioned schema changes, applied in order at start-up by every process (Kysely's migrator takes a lock,
// so concurrent starts are safe). Never edit a released migration; add the next one.
import { sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';

const migrations: Record<string, Migration> = {
  '0001_public_record': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('projects')
        .addColumn('id', 'uuid', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('applicant_name', 'text', (c) => c.notNull())
        .addColumn('applicant_uscc', 'text', (c) => c.notNull())
        .addColumn('category', 'text', (c) => c.notNull())
        .addColumn('locality', 'text', (c) => c.notNull())
        .addColumn('major', 'boolean', (c) => c.notNull())
        .addColumn('agent', 'text')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('overall_status', 'text', (c) => c.notNull())
        .addColumn('current_stage', 'text')
        // Where the project is, or where it was when it closed: what lists filter on.
        .addColumn('listed_stage', 'text', (c) => c.notNull())
        .addColumn('registered_by', 'text', (c) => c.notNull())
        .addColumn('registered_at', 'timestamptz', (c) => c.notNull())
        .addColumn('closed_at', 'timestamptz')
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('state', 'jsonb', (c) => c.notNull())
        .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('projects_by_locality').on('projects').columns(['locality', 'registered_at']).execute();
      await db.schema.createIndex('projects_by_agent').on('projects').column('agent').execute();

      await db.schema
        .createTable('stage_attempts')
        .addColumn('project_id', 'uuid', (c) => c.notNull().references('projects.id'))
        .addColumn('stage', 'text', (c) => c.notNull())
        .addColumn('attempt', 'integer', (c) => c.notNull())
        .addColumn('submitted_by', 'text', (c) => c.notNull())
        .addColumn('submitted_at', 'timestamptz', (c) => c.notNull())
        .addColumn('outcome', 'text', (c) => c.notNull())
        .addColumn('decided_at', 'timestamptz')
        .addColumn('limit_days', 'integer')
        .addColumn('paused_working_days', 'integer', (c) => c.notNull())
        .addColumn('working_days_used', 'integer', (c) => c.notNull())
        .addColumn('deadline', 'date')
        .addPrimaryKeyConstraint('stage_attempts_pk', ['project_id', 'stage', 'attempt'])
        .execute();
      await db.schema.createIndex('stage_attempts_by_decision').on('stage_attempts').columns(['stage', 'decided_at']).execute();

      await db.schema
        .createTable('sign_offs')
        .addColumn('project_id', 'uuid', (c) => c.notNull().references('projects.id'))
        .addColumn('stage', 'text', (c) => c.notNull())
        .addColumn('attempt', 'integer', (c) => c.notNull())
        .addColumn('party', 'text', (c) => c.notNull())
        .addColumn('decision', 'text', (c) => c.notNull())
        .addColumn('comment', 'text')
        .addColumn('by_id', 'text', (c) => c.notNull())
        .addColumn('at', 'timestamptz', (c) => c.notNull())
        .addPrimaryKeyConstraint('sign_offs_pk', ['project_id', 'stage', 'attempt', 'party'])
        .execute();

      await db.schema
        .createTable('corrections')
        .addColumn('project_id', 'uuid', (c) => c.notNull().references('projects.id'))
        .addColumn('stage', 'text', (c) => c.notNull())
        .addColumn('attempt', 'integer', (c) => c.notNull())
        .addColumn('party', 'text', (c) => c.notNull())
        .addColumn('items', 'jsonb', (c) => c.notNull())
        .addColumn('requested_by', 'text', (c) => c.notNull())
        .addColumn('requested_at', 'timestamptz', (c) => c.notNull())
        .addColumn('supplemented_by', 'text')
        .addColumn('supplemented_at', 'timestamptz')
        .addPrimaryKeyConstraint('corrections_pk', ['project_id', 'stage', 'attempt', 'party'])
        .execute();

      await db.schema
        .createTable('progress_reports')
        .addColumn('project_id', 'uuid', (c) => c.notNull().references('projects.id'))
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('at', 'timestamptz', (c) => c.notNull())
        .addColumn('recipient', 'text', (c) => c.notNull())
        .addColumn('cadence', 'text', (c) => c.notNull())
        .addColumn('body', 'jsonb', (c) => c.notNull())
        .addPrimaryKeyConstraint('progress_reports_pk', ['project_id', 'seq'])
        .execute();

      await db.schema
        .createTable('escalations')
        .addColumn('project_id', 'uuid', (c) => c.notNull().references('projects.id'))
        .addColumn('stage', 'text', (c) => c.notNull())
        .addColumn('attempt', 'integer', (c) => c.notNull())
        .addColumn('party', 'text', (c) => c.notNull())
        .addColumn('tier', 'text', (c) => c.notNull())
        .addColumn('at', 'timestamptz', (c) => c.notNull())
        .addColumn('pending_days', 'real', (c) => c.notNull())
        .addColumn('notified', 'jsonb', (c) => c.notNull())
        .addPrimaryKeyConstraint('escalations_pk', ['project_id', 'stage', 'attempt', 'party', 'tier'])
        .execute();

      await db.schema
        .createTable('utility_pushes')
        .addColumn('project_id', 'uuid', (c) => c.notNull().references('projects.id'))
        .addColumn('company', 'text', (c) => c.notNull())
        .addColumn('idempotency_key', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('started_at', 'timestamptz', (c) => c.notNull())
        .addColumn('settled_at', 'timestamptz')
        .addColumn('error', 'text')
        .addPrimaryKeyConstraint('utility_pushes_pk', ['project_id', 'company'])
        .execute();

      await db.schema
        .createTable('audit_log')
        .addColumn('id', 'bigserial', (c) => c.primaryKey())
        .addColumn('at', 'timestamptz', (c) => c.notNull())
        .addColumn('principal_id', 'text')
        .addColumn('principal_role', 'text')
        .addColumn('method', 'text', (c) => c.notNull())
        .addColumn('path', 'text', (c) => c.notNull())
        .addColumn('project_id', 'uuid')
        .addColumn('outcome', 'text', (c) => c.notNull())
        .addColumn('status', 'integer', (c) => c.notNull())
        .addColumn('detail', 'text')
        .execute();
      await db.schema.createIndex('audit_log_by_project').on('audit_log').columns(['project_id', 'id']).execute();
      // Append-only: the log refuses changes to what it holds.
      await sql`create function audit_log_append_only() returns trigger language plpgsql as $$
        begin raise exception 'audit_log is append-only'; end $$`.execute(db);
      await sql`create trigger audit_log_append_only before update or delete on audit_log
        for each row execute function audit_log_append_only()`.execute(db);

      await db.schema
        .createTable('calendar_years')
        .addColumn('year', 'integer', (c) => c.primaryKey())
        .addColumn('holidays', 'jsonb', (c) => c.notNull())
        .addColumn('workdays', 'jsonb', (c) => c.notNull())
        .addColumn('loaded_by', 'text', (c) => c.notNull())
        .addColumn('loaded_at', 'timestamptz', (c) => c.notNull())
        .execute();
    },
  },
};

export const migrationProvider: MigrationProvider = { getMigrations: async () => migrations };
