using Cairn.Bench;
using Cairn.Bench.Corpus;
using Cairn.Bench.Tools;

// cairn vs restic vs borg on one corpus (bench/run.sh); also the corpus generator and the index measurement alone.
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };
var command = args.Length > 0 && !args[0].StartsWith('-') ? args[0] : "run";
var rest = args.Length > 0 && !args[0].StartsWith('-') ? args[1..] : args;
try
{
    switch (command)
    {
        case "run":
            var report = await Harness.RunAsync(BenchOptions.Parse(rest), Console.Out, cancel.Token);
            return report.RestoreChecks.All(c => c.Passed) ? 0 : 2;
        case "corpus":
            var outIndex = Array.IndexOf(rest, "--out");
            if (outIndex < 0 || outIndex + 1 >= rest.Length)
            {
                throw new ArgumentException("corpus needs --out DIR");
            }

            var folder = rest[outIndex + 1];
            var options = BenchOptions.Parse([.. rest[..outIndex], .. rest[(outIndex + 2)..]]);
            var info = CorpusGenerator.Generate(folder, options.Profile, options.CorpusBytes, options.Seed, cancel.Token);
            Console.WriteLine($"{info.Files} files, {info.Bytes} bytes in {info.GenerationSeconds:0.0} s");
            return 0;
        case "index-memory":
            var blobs = BenchOptions.Parse(rest).IndexBlobs;
            var index = IndexMemory.Measure(blobs, 1);
            Console.WriteLine($"{index.BytesPerBlob:0.0} bytes per blob for {index.Blobs:N0} blobs ({index.Found:N0} found again, heap {index.HeapSizeBytes / 1048576.0:0.0} MiB)");
            return 0;
        default:
            throw new ArgumentException($"unknown command {command}");
    }
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine(BenchOptions.Usage);
    return 64;
}
catch (BenchmarkException e)
{
    Console.Error.WriteLine(e.Message);
    return 1;
}
