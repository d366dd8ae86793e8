using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SentryFlow.Analytics.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class ProjectTotals : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The project's totals per minute, hour and day (all routes, methods, consumers and status classes together):
            // the summary and ungrouped time series read one row a period (Queries/RollupQueries.cs, TotalsAsync). The
            // writer adds to the minutes, the fold job derives hours and days; what is stored already is summed here
            // (hours and days from their folds: a dirty period is read from the minutes and folded again anyway).
            migrationBuilder.Sql("""
                CREATE TABLE analytics."ProjectMinutes" (
                    "ProjectId" uuid NOT NULL,
                    "Minute" timestamptz NOT NULL,
                    "Count" bigint NOT NULL,
                    "Errors4xx" bigint NOT NULL,
                    "Errors5xx" bigint NOT NULL,
                    "BytesIn" bigint NOT NULL,
                    "BytesOut" bigint NOT NULL,
                    "DurationSumMs" double precision NOT NULL,
                    "Histogram" bigint[] NOT NULL,
                    CONSTRAINT "PK_ProjectMinutes" PRIMARY KEY ("ProjectId", "Minute"));

                CREATE TABLE analytics."ProjectHours" (
                    "ProjectId" uuid NOT NULL,
                    "Hour" timestamptz NOT NULL,
                    "Count" bigint NOT NULL,
                    "Errors4xx" bigint NOT NULL,
                    "Errors5xx" bigint NOT NULL,
                    "BytesIn" bigint NOT NULL,
                    "BytesOut" bigint NOT NULL,
                    "DurationSumMs" double precision NOT NULL,
                    "Histogram" bigint[] NOT NULL,
                    CONSTRAINT "PK_ProjectHours" PRIMARY KEY ("ProjectId", "Hour"));

                CREATE TABLE analytics."ProjectDays" (
                    "ProjectId" uuid NOT NULL,
                    "Day" timestamptz NOT NULL,
                    "Count" bigint NOT NULL,
                    "Errors4xx" bigint NOT NULL,
                    "Errors5xx" bigint NOT NULL,
                    "BytesIn" bigint NOT NULL,
                    "BytesOut" bigint NOT NULL,
                    "DurationSumMs" double precision NOT NULL,
                    "Histogram" bigint[] NOT NULL,
                    CONSTRAINT "PK_ProjectDays" PRIMARY KEY ("ProjectId", "Day"));

                INSERT INTO analytics."ProjectMinutes"
                SELECT t.*, coalesce(h.h, '{}'::bigint[])
                FROM (SELECT "ProjectId", "Minute", sum("Count")::bigint, sum("Errors4xx")::bigint, sum("Errors5xx")::bigint,
                             sum("BytesIn")::bigint, sum("BytesOut")::bigint, sum("DurationSumMs")
                      FROM analytics."MinuteRollups" GROUP BY 1, 2) AS t
                LEFT JOIN (
                    SELECT "ProjectId", "Minute", array_agg((b << 48) | n ORDER BY b) AS h
                    FROM (SELECT "ProjectId", "Minute", e >> 48 AS b, sum(e & 281474976710655)::bigint AS n
                          FROM analytics."MinuteRollups" CROSS JOIN LATERAL unnest("Histogram") AS e GROUP BY 1, 2, 3) AS buckets
                    GROUP BY 1, 2) AS h USING ("ProjectId", "Minute");

                INSERT INTO analytics."ProjectHours"
                SELECT t.*, coalesce(h.h, '{}'::bigint[])
                FROM (SELECT "ProjectId", "Hour", sum("Count")::bigint, sum("Errors4xx")::bigint, sum("Errors5xx")::bigint,
                             sum("BytesIn")::bigint, sum("BytesOut")::bigint, sum("DurationSumMs")
                      FROM analytics."HourRollups" GROUP BY 1, 2) AS t
                LEFT JOIN (
                    SELECT "ProjectId", "Hour", array_agg((b << 48) | n ORDER BY b) AS h
                    FROM (SELECT "ProjectId", "Hour", e >> 48 AS b, sum(e & 281474976710655)::bigint AS n
                          FROM analytics."HourRollups" CROSS JOIN LATERAL unnest("Histogram") AS e GROUP BY 1, 2, 3) AS buckets
                    GROUP BY 1, 2) AS h USING ("ProjectId", "Hour");

                INSERT INTO analytics."ProjectDays"
                SELECT t.*, coalesce(h.h, '{}'::bigint[])
                FROM (SELECT "ProjectId", "Day", sum("Count")::bigint, sum("Errors4xx")::bigint, sum("Errors5xx")::bigint,
                             sum("BytesIn")::bigint, sum("BytesOut")::bigint, sum("DurationSumMs")
                      FROM analytics."DayRollups" GROUP BY 1, 2) AS t
                LEFT JOIN (
                    SELECT "ProjectId", "Day", array_agg((b << 48) | n ORDER BY b) AS h
                    FROM (SELECT "ProjectId", "Day", e >> 48 AS b, sum(e & 281474976710655)::bigint AS n
                          FROM analytics."DayRollups" CROSS JOIN LATERAL unnest("Histogram") AS e GROUP BY 1, 2, 3) AS buckets
                    GROUP BY 1, 2) AS h USING ("ProjectId", "Day");
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TABLE analytics."ProjectDays";
                DROP TABLE analytics."ProjectHours";
                DROP TABLE analytics."ProjectMinutes";
                """);
        }
    }
}
