using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Cairn.Space.Data.Migrations.Sqlite
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
                type: "TEXT",
                precision: 28,
                scale: 9,
                nullable: false,
                oldClrType: typeof(double),
                oldType: "REAL");

            // The table rebuild copies each REAL as SQLite's text of it, which may be "1.0e-05" or carry 15 digits;
            // write it as the decimal the meter keeps (9 places, a whole byte-hour), as PostgreSQL's numeric(28,9) does.
            migrationBuilder.Sql("UPDATE \"StorageMeters\" SET \"OverGbHours\" = printf('%.9f', \"OverGbHours\");");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<double>(
                name: "OverGbHours",
                table: "StorageMeters",
                type: "REAL",
                nullable: false,
                oldClrType: typeof(decimal),
                oldType: "TEXT",
                oldPrecision: 28,
                oldScale: 9);
        }
    }
}
