using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SentryFlow.Alerting.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class LatencyObjective : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<double>(
                name: "LatencyThresholdMs",
                schema: "alerting",
                table: "Rules",
                type: "double precision",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ObjectiveKind",
                schema: "alerting",
                table: "Rules",
                type: "character varying(16)",
                maxLength: 16,
                nullable: true);

            // SLO rules written before objectives had a kind were availability objectives.
            migrationBuilder.Sql("""UPDATE alerting."Rules" SET "ObjectiveKind" = 'Availability' WHERE "Kind" = 'SloBurnRate'""");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "LatencyThresholdMs",
                schema: "alerting",
                table: "Rules");

            migrationBuilder.DropColumn(
                name: "ObjectiveKind",
                schema: "alerting",
                table: "Rules");
        }
    }
}
