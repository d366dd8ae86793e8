using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SentryFlow.Analytics.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class SignalsAndLag : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "LagMinutes",
                schema: "analytics",
                columns: table => new
                {
                    ProjectId = table.Column<Guid>(type: "uuid", nullable: false),
                    Minute = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Count = table.Column<long>(type: "bigint", nullable: false),
                    Histogram = table.Column<long[]>(type: "bigint[]", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_LagMinutes", x => new { x.ProjectId, x.Minute });
                });

            migrationBuilder.CreateTable(
                name: "ProcessedMessages",
                schema: "analytics",
                columns: table => new
                {
                    MessageId = table.Column<Guid>(type: "uuid", nullable: false),
                    ProcessedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ProcessedMessages", x => x.MessageId);
                });

            migrationBuilder.CreateTable(
                name: "SignalMinutes",
                schema: "analytics",
                columns: table => new
                {
                    ProjectId = table.Column<Guid>(type: "uuid", nullable: false),
                    Minute = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Signal = table.Column<string>(type: "text", nullable: false),
                    Count = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SignalMinutes", x => new { x.ProjectId, x.Minute, x.Signal });
                });

            migrationBuilder.CreateIndex(
                name: "IX_ProcessedMessages_ProcessedAt",
                schema: "analytics",
                table: "ProcessedMessages",
                column: "ProcessedAt");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "LagMinutes",
                schema: "analytics");

            migrationBuilder.DropTable(
                name: "ProcessedMessages",
                schema: "analytics");

            migrationBuilder.DropTable(
                name: "SignalMinutes",
                schema: "analytics");
        }
    }
}
