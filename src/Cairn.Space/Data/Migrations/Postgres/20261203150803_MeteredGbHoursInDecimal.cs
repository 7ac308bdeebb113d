using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Cairn.Space.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class MeteredGbHoursInDecimal : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<decimal>(
                name: "OverGbHours",
                table: "StorageMeters",
                type: "numeric(28,9)",
                precision: 28,
                scale: 9,
                nullable: false,
                oldClrType: typeof(double),
                oldType: "double precision");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<double>(
                name: "OverGbHours",
                table: "StorageMeters",
                type: "double precision",
                nullable: false,
                oldClrType: typeof(decimal),
                oldType: "numeric(28,9)",
                oldPrecision: 28,
                oldScale: 9);
        }
    }
}
