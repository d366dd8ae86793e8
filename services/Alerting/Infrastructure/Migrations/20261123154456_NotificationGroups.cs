using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SentryFlow.Alerting.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class NotificationGroups : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Deliveries_AlertId",
                schema: "alerting",
                table: "Deliveries");

            migrationBuilder.DropColumn(
                name: "FiringNotified",
                schema: "alerting",
                table: "Alerts");

            migrationBuilder.RenameColumn(
                name: "Message",
                schema: "alerting",
                table: "Deliveries",
                newName: "Notification");

            migrationBuilder.RenameColumn(
                name: "AlertId",
                schema: "alerting",
                table: "Deliveries",
                newName: "GroupId");

            migrationBuilder.AddColumn<List<string>>(
                name: "GroupByLabels",
                schema: "alerting",
                table: "Rules",
                type: "text[]",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "GroupIntervalSeconds",
                schema: "alerting",
                table: "Rules",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "GroupWaitSeconds",
                schema: "alerting",
                table: "Rules",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "RepeatIntervalSeconds",
                schema: "alerting",
                table: "Rules",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<List<Guid>>(
                name: "AlertIds",
                schema: "alerting",
                table: "Deliveries",
                type: "uuid[]",
                nullable: false,
                defaultValueSql: "'{}'");

            // Deliveries written before grouping told of one alert each: each becomes a group of its own.
            migrationBuilder.Sql("""
                UPDATE alerting."Deliveries" SET "AlertIds" = ARRAY["GroupId"],
                    "Notification" = jsonb_build_object('status', "Notification"->'status', 'ruleName', "Notification"->'ruleName',
                        'severity', "Notification"->'severity', 'groupKey', '', 'groupLabels', '{}'::jsonb,
                        'alerts', jsonb_build_array("Notification" || jsonb_build_object('alertId', "GroupId")))
                """);

            migrationBuilder.CreateTable(
                name: "NotificationGroups",
                schema: "alerting",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    ProjectId = table.Column<Guid>(type: "uuid", nullable: false),
                    RuleId = table.Column<Guid>(type: "uuid", nullable: false),
                    Key = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    Labels = table.Column<string>(type: "jsonb", nullable: false),
                    NextFlushAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    LastSentAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    Notified = table.Column<string>(type: "jsonb", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_NotificationGroups", x => x.Id);
                    table.ForeignKey(
                        name: "FK_NotificationGroups_Rules_RuleId",
                        column: x => x.RuleId,
                        principalSchema: "alerting",
                        principalTable: "Rules",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Deliveries_AlertIds",
                schema: "alerting",
                table: "Deliveries",
                column: "AlertIds")
                .Annotation("Npgsql:IndexMethod", "gin");

            migrationBuilder.CreateIndex(
                name: "IX_NotificationGroups_NextFlushAt",
                schema: "alerting",
                table: "NotificationGroups",
                column: "NextFlushAt",
                filter: "\"NextFlushAt\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_NotificationGroups_RuleId_Key",
                schema: "alerting",
                table: "NotificationGroups",
                columns: new[] { "RuleId", "Key" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "NotificationGroups",
                schema: "alerting");

            migrationBuilder.DropIndex(
                name: "IX_Deliveries_AlertIds",
                schema: "alerting",
                table: "Deliveries");

            migrationBuilder.DropColumn(
                name: "GroupByLabels",
                schema: "alerting",
                table: "Rules");

            migrationBuilder.DropColumn(
                name: "GroupIntervalSeconds",
                schema: "alerting",
                table: "Rules");

            migrationBuilder.DropColumn(
                name: "GroupWaitSeconds",
                schema: "alerting",
                table: "Rules");

            migrationBuilder.DropColumn(
                name: "RepeatIntervalSeconds",
                schema: "alerting",
                table: "Rules");

            migrationBuilder.DropColumn(
                name: "AlertIds",
                schema: "alerting",
                table: "Deliveries");

            migrationBuilder.RenameColumn(
                name: "Notification",
                schema: "alerting",
                table: "Deliveries",
                newName: "Message");

            migrationBuilder.RenameColumn(
                name: "GroupId",
                schema: "alerting",
                table: "Deliveries",
                newName: "AlertId");

            migrationBuilder.AddColumn<bool>(
                name: "FiringNotified",
                schema: "alerting",
                table: "Alerts",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateIndex(
                name: "IX_Deliveries_AlertId",
                schema: "alerting",
                table: "Deliveries",
                column: "AlertId");
        }
    }
}
