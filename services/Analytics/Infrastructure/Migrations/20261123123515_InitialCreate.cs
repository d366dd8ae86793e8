using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SentryFlow.Analytics.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class InitialCreate : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.EnsureSchema(
                name: "analytics");

            migrationBuilder.CreateTable(
                name: "Events",
                schema: "analytics",
                columns: table => new
                {
                    ProjectId = table.Column<Guid>(type: "uuid", nullable: false),
                    EventId = table.Column<string>(type: "text", nullable: false),
                    Type = table.Column<string>(type: "text", nullable: false),
                    Timestamp = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Payload = table.Column<string>(type: "jsonb", nullable: false),
                    KeyId = table.Column<Guid>(type: "uuid", nullable: false),
                    AcceptedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    StoredAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Events", x => new { x.ProjectId, x.EventId });
                });

            migrationBuilder.CreateTable(
                name: "MinuteRollups",
                schema: "analytics",
                columns: table => new
                {
                    ProjectId = table.Column<Guid>(type: "uuid", nullable: false),
                    Minute = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Route = table.Column<string>(type: "text", nullable: false),
                    Method = table.Column<string>(type: "text", nullable: false),
                    Consumer = table.Column<string>(type: "text", nullable: false),
                    StatusClass = table.Column<short>(type: "smallint", nullable: false),
                    Count = table.Column<long>(type: "bigint", nullable: false),
                    Errors4xx = table.Column<long>(type: "bigint", nullable: false),
                    Errors5xx = table.Column<long>(type: "bigint", nullable: false),
                    BytesIn = table.Column<long>(type: "bigint", nullable: false),
                    BytesOut = table.Column<long>(type: "bigint", nullable: false),
                    DurationSumMs = table.Column<double>(type: "double precision", nullable: false),
                    Histogram = table.Column<long[]>(type: "bigint[]", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MinuteRollups", x => new { x.ProjectId, x.Minute, x.Route, x.Method, x.Consumer, x.StatusClass });
                });

            migrationBuilder.CreateTable(
                name: "RecordKeys",
                schema: "analytics",
                columns: table => new
                {
                    ProjectId = table.Column<Guid>(type: "uuid", nullable: false),
                    Key = table.Column<string>(type: "text", nullable: false),
                    Timestamp = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RecordKeys", x => new { x.ProjectId, x.Key });
                });

            migrationBuilder.CreateIndex(
                name: "IX_Events_ProjectId_Type_Timestamp",
                schema: "analytics",
                table: "Events",
                columns: new[] { "ProjectId", "Type", "Timestamp" });

            // Raw records: partitioned by day on "Timestamp", outside the EF model (written by binary COPY). The
            // primary key must include the partition key; uniqueness per (project, client id) is kept by "RecordKeys".
            migrationBuilder.Sql("""
                CREATE TABLE analytics."RequestRecords" (
                    "ProjectId" uuid NOT NULL,
                    "Timestamp" timestamptz NOT NULL,
                    "Id" uuid NOT NULL,
                    "ClientId" text NULL,
                    "BatchId" uuid NOT NULL,
                    "KeyId" uuid NOT NULL,
                    "Method" text NOT NULL,
                    "Host" text NOT NULL,
                    "Path" text NOT NULL,
                    "Route" text NULL,
                    "Status" integer NOT NULL,
                    "DurationMs" double precision NOT NULL,
                    "RequestSize" bigint NULL,
                    "ResponseSize" bigint NULL,
                    "Consumer" text NULL,
                    "ClientIp" text NULL,
                    "UserAgent" text NULL,
                    "TraceId" text NULL,
                    "ErrorType" text NULL,
                    "ErrorMessage" text NULL,
                    "RequestHeaders" jsonb NULL,
                    "ResponseHeaders" jsonb NULL,
                    "RequestBody" text NULL,
                    "ResponseBody" text NULL,
                    "AcceptedAt" timestamptz NOT NULL,
                    "StoredAt" timestamptz NOT NULL DEFAULT now(),
                    CONSTRAINT "PK_RequestRecords" PRIMARY KEY ("ProjectId", "Timestamp", "Id")
                ) PARTITION BY RANGE ("Timestamp");
                """);

            // Creates the partition for one UTC day unless it exists; safe to call from several sessions at once.
            migrationBuilder.Sql("""
                CREATE FUNCTION analytics.ensure_request_records_partition(day date) RETURNS boolean
                LANGUAGE plpgsql AS $$
                DECLARE
                    partition_name text := 'RequestRecords_' || to_char(day, 'YYYYMMDD');
                BEGIN
                    IF to_regclass(format('analytics.%I', partition_name)) IS NOT NULL THEN
                        RETURN false;
                    END IF;
                    PERFORM pg_advisory_xact_lock(hashtext('analytics.RequestRecords partitions'));
                    IF to_regclass(format('analytics.%I', partition_name)) IS NOT NULL THEN
                        RETURN false;
                    END IF;
                    EXECUTE format(
                        'CREATE TABLE analytics.%I PARTITION OF analytics."RequestRecords" FOR VALUES FROM (%L) TO (%L)',
                        partition_name,
                        (day::timestamp AT TIME ZONE 'UTC'),
                        ((day + 1)::timestamp AT TIME ZONE 'UTC'));
                    RETURN true;
                END;
                $$;
                """);

            // Element-wise sum of two latency histograms of any lengths (the roll-ups' merge).
            migrationBuilder.Sql("""
                CREATE FUNCTION analytics.hist_add(a bigint[], b bigint[]) RETURNS bigint[]
                LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
                    SELECT coalesce(array_agg(coalesce(a[i], 0) + coalesce(b[i], 0) ORDER BY i), '{}'::bigint[])
                    FROM generate_series(1, greatest(coalesce(cardinality(a), 0), coalesce(cardinality(b), 0))) AS i
                $$;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP FUNCTION IF EXISTS analytics.hist_add(bigint[], bigint[]);");
            migrationBuilder.Sql("DROP FUNCTION IF EXISTS analytics.ensure_request_records_partition(date);");
            migrationBuilder.Sql("DROP TABLE IF EXISTS analytics.\"RequestRecords\";");
            migrationBuilder.DropTable(
                name: "Events",
                schema: "analytics");

            migrationBuilder.DropTable(
                name: "MinuteRollups",
                schema: "analytics");

            migrationBuilder.DropTable(
                name: "RecordKeys",
                schema: "analytics");
        }
    }
}
