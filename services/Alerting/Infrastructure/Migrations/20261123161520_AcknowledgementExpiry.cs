using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SentryFlow.Alerting.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class AcknowledgementExpiry : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "AcknowledgementExpiresAt",
                schema: "alerting",
                table: "Alerts",
                type: "timestamp with time zone",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "AcknowledgementExpiresAt",
                schema: "alerting",
                table: "Alerts");
        }
    }
}
