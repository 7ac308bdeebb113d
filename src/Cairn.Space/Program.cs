using Cairn.Space;
using Cairn.Restore.Worker;
// A restore to a local cloud disk runs in a child process of Space's own executable, before any web host exists.
if (RestoreWorker.IsInvokedAs(args))
{
    return await RestoreWorker.RunOnConsoleAsync();
}

var builder = WebApplication.CreateBuilder(args);
builder.AddSpace();

var app = builder.Build();
app.MapSpace();
app.Run();
return 0;

public partial class Program;
