using Cairn.Space;

var builder = WebApplication.CreateBuilder(args);
builder.AddSpace();

var app = builder.Build();
app.MapSpace();
app.Run();

public partial class Program;
