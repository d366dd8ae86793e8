using System;
using Microsoft.EntityFrameworkCore.Migrations;
using SentryFlow.Analytics.Queries;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace SentryFlow.Analytics.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class SearchSettingsRetention : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "ProjectSettings",
                schema: "analytics",
                columns: table => new
                {
                    ProjectId = table.Column<Guid>(type: "uuid", nullable: false),
                    RawRetentionDays = table.Column<int>(type: "integer", nullable: false),
                    RollupRetentionDays = table.Column<int>(type: "integer", nullable: false),
                    ApdexThresholdMs = table.Column<double>(type: "double precision", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ProjectSettings", x => x.ProjectId);
                });

            migrationBuilder.CreateTable(
                name: "RetentionRuns",
                schema: "analytics",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    StartedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    FinishedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    RawHorizon = table.Column<DateOnly>(type: "date", nullable: false),
                    DroppedPartitions = table.Column<string[]>(type: "text[]", nullable: false),
                    DeletedRollupRows = table.Column<long>(type: "bigint", nullable: false),
                    Error = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RetentionRuns", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_RetentionRuns_StartedAt",
                schema: "analytics",
                table: "RetentionRuns",
                column: "StartedAt");

            // Two sessions making the same day's partition at once: the second one's catalog lookup after the advisory
            // lock may not see the first one's table yet, so a duplicate is caught rather than failing the caller.
            migrationBuilder.Sql("""
                CREATE OR REPLACE FUNCTION analytics.ensure_request_records_partition(day date) RETURNS boolean
                LANGUAGE plpgsql AS $$
                DECLARE
                    partition_name text := 'RequestRecords_' || to_char(day, 'YYYYMMDD');
                BEGIN
                    IF to_regclass(format('analytics.%I', partition_name)) IS NOT NULL THEN
                        RETURN false;
                    END IF;
                    PERFORM pg_advisory_xact_lock(hashtext('analytics.RequestRecords partitions'));
                    EXECUTE format(
                        'CREATE TABLE IF NOT EXISTS analytics.%I PARTITION OF analytics."RequestRecords" FOR VALUES FROM (%L) TO (%L)',
                        partition_name,
                        (day::timestamp AT TIME ZONE 'UTC'),
                        ((day + 1)::timestamp AT TIME ZONE 'UTC'));
                    RETURN true;
                EXCEPTION WHEN duplicate_table THEN
                    RETURN false;
                END;
                $$;
                """);

            // Request log search. pg_trgm is a trusted extension (PostgreSQL 13+): the database's owner may create it,
            // superuser or not, so this works under the AppHost and in the tests alike, with no manual step.
            migrationBuilder.Sql("CREATE EXTENSION IF NOT EXISTS pg_trgm;");

            // The request log's search: GIN over the words and GIN trigrams over the text (see RecordSearch); and a
            // record by id (one index probe per partition).
            migrationBuilder.Sql($"""
                CREATE INDEX "IX_RequestRecords_SearchWords" ON analytics."RequestRecords" USING gin (({RecordSearch.Words}));
                CREATE INDEX "IX_RequestRecords_SearchText" ON analytics."RequestRecords" USING gin ({RecordSearch.Text} gin_trgm_ops);
                CREATE INDEX "IX_RequestRecords_Id" ON analytics."RequestRecords" ("Id");
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP INDEX IF EXISTS analytics."IX_RequestRecords_Id";
                DROP INDEX IF EXISTS analytics."IX_RequestRecords_SearchText";
                DROP INDEX IF EXISTS analytics."IX_RequestRecords_SearchWords";
                """);
            migrationBuilder.DropTable(
                name: "ProjectSettings",
                schema: "analytics");

            migrationBuilder.DropTable(
                name: "RetentionRuns",
                schema: "analytics");
        }
    }
}
