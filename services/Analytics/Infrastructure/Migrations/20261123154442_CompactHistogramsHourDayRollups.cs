using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SentryFlow.Analytics.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class CompactHistogramsHourDayRollups : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Minute roll-ups keep only their non-empty latency buckets, one bigint each (bucket << 48 | count; see
            // Rollups/PackedHistogram.cs), instead of a dense array up to the highest bucket used.
            migrationBuilder.Sql("""
                CREATE FUNCTION analytics.packed_histogram_add(a bigint[], b bigint[]) RETURNS bigint[]
                LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
                    SELECT coalesce(array_agg((k << 48) | n ORDER BY k), '{}'::bigint[])
                    FROM (SELECT e >> 48 AS k, sum(e & 281474976710655)::bigint AS n FROM unnest(a || b) AS e GROUP BY 1) AS buckets
                $$;

                UPDATE analytics."MinuteRollups" SET "Histogram" = (
                    SELECT coalesce(array_agg(((h.i - 1) << 48) | h.c ORDER BY h.i), '{}'::bigint[])
                    FROM unnest("Histogram") WITH ORDINALITY AS h(c, i) WHERE h.c > 0);
                """);

            // Hourly and daily roll-ups folded from the minutes (Rollups/RollupFolder.cs), without the consumer; the
            // consumers per hour apart, counts only. Written and read with SQL only, like the raw records.
            migrationBuilder.Sql("""
                CREATE TABLE analytics."HourRollups" (
                    "ProjectId" uuid NOT NULL,
                    "Hour" timestamptz NOT NULL,
                    "Route" text NOT NULL,
                    "Method" text NOT NULL,
                    "StatusClass" smallint NOT NULL,
                    "Count" bigint NOT NULL,
                    "Errors4xx" bigint NOT NULL,
                    "Errors5xx" bigint NOT NULL,
                    "BytesIn" bigint NOT NULL,
                    "BytesOut" bigint NOT NULL,
                    "DurationSumMs" double precision NOT NULL,
                    "Histogram" bigint[] NOT NULL,
                    CONSTRAINT "PK_HourRollups" PRIMARY KEY ("ProjectId", "Hour", "Route", "Method", "StatusClass"));

                CREATE TABLE analytics."DayRollups" (
                    "ProjectId" uuid NOT NULL,
                    "Day" timestamptz NOT NULL,
                    "Route" text NOT NULL,
                    "Method" text NOT NULL,
                    "StatusClass" smallint NOT NULL,
                    "Count" bigint NOT NULL,
                    "Errors4xx" bigint NOT NULL,
                    "Errors5xx" bigint NOT NULL,
                    "BytesIn" bigint NOT NULL,
                    "BytesOut" bigint NOT NULL,
                    "DurationSumMs" double precision NOT NULL,
                    "Histogram" bigint[] NOT NULL,
                    CONSTRAINT "PK_DayRollups" PRIMARY KEY ("ProjectId", "Day", "Route", "Method", "StatusClass"));

                CREATE TABLE analytics."ConsumerHours" (
                    "ProjectId" uuid NOT NULL,
                    "Hour" timestamptz NOT NULL,
                    "Consumer" text NOT NULL,
                    "Count" bigint NOT NULL,
                    "Errors4xx" bigint NOT NULL,
                    "Errors5xx" bigint NOT NULL,
                    "BytesIn" bigint NOT NULL,
                    "BytesOut" bigint NOT NULL,
                    CONSTRAINT "PK_ConsumerHours" PRIMARY KEY ("ProjectId", "Hour", "Consumer"));

                CREATE TABLE analytics."HourFolds" (
                    "ProjectId" uuid NOT NULL,
                    "Hour" timestamptz NOT NULL,
                    "Dirty" boolean NOT NULL,
                    CONSTRAINT "PK_HourFolds" PRIMARY KEY ("ProjectId", "Hour"));
                CREATE INDEX "IX_HourFolds_Dirty" ON analytics."HourFolds" ("Hour") WHERE "Dirty";

                CREATE TABLE analytics."DayFolds" (
                    "ProjectId" uuid NOT NULL,
                    "Day" timestamptz NOT NULL,
                    "Dirty" boolean NOT NULL,
                    CONSTRAINT "PK_DayFolds" PRIMARY KEY ("ProjectId", "Day"));
                CREATE INDEX "IX_DayFolds_Dirty" ON analytics."DayFolds" ("Day") WHERE "Dirty";

                -- What is already stored waits for its first fold.
                INSERT INTO analytics."HourFolds" SELECT DISTINCT "ProjectId", date_bin('1 hour', "Minute", TIMESTAMPTZ '2000-01-01 00:00:00+00'), true
                FROM analytics."MinuteRollups";
                INSERT INTO analytics."DayFolds" SELECT DISTINCT "ProjectId", date_bin('24 hours', "Minute", TIMESTAMPTZ '2000-01-01 00:00:00+00'), true
                FROM analytics."MinuteRollups";
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TABLE analytics."DayFolds";
                DROP TABLE analytics."HourFolds";
                DROP TABLE analytics."ConsumerHours";
                DROP TABLE analytics."DayRollups";
                DROP TABLE analytics."HourRollups";

                UPDATE analytics."MinuteRollups" SET "Histogram" = (
                    SELECT array_agg(coalesce(n, 0) ORDER BY i)
                    FROM generate_series(0, (SELECT max(e >> 48) FROM unnest("Histogram") AS e)::int) AS i
                    LEFT JOIN (SELECT e >> 48 AS k, e & 281474976710655 AS n FROM unnest("Histogram") AS e) AS p ON p.k = i);

                DROP FUNCTION analytics.packed_histogram_add(bigint[], bigint[]);
                """);
        }
    }
}
