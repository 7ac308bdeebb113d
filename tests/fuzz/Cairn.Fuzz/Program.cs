using Cairn.Fuzz;
using SharpFuzz;

// afl-fuzz runs `dotnet Cairn.Fuzz.dll <target>` (tests/fuzz/run.sh); with a file argument after the target it runs
// that one input once and prints what it threw, to reproduce a crash by hand.
if (args.Length == 0 || !FuzzTargets.All.TryGetValue(args[0], out var target))
{
    Console.Error.WriteLine("usage: Cairn.Fuzz <target> [input-file]; targets: " + string.Join(", ", FuzzTargets.All.Keys));
    return 2;
}

if (args.Length > 1)
{
    target(File.ReadAllBytes(args[1]));
    Console.WriteLine("no crash");
    return 0;
}

Fuzzer.OutOfProcess.Run(stream =>
{
    using var buffer = new MemoryStream();
    stream.CopyTo(buffer);
    target(buffer.ToArray());
});
return 0;
