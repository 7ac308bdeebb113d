using Cairn.Fuzz;

namespace Cairn.Robustness.Tests;

/// <summary>
/// Point 10 (e), in the default run: every checked-in input of the fuzzing corpus and every crash the fuzzer ever
/// found (tests/fuzz/regressions/&lt;target&gt;/, added by tests/fuzz/run.sh) goes through its parser again, which must
/// accept it or refuse it cleanly.
/// </summary>
public sealed class FuzzRegressionTests
{
    public static TheoryData<string, string> Inputs()
    {
        var data = new TheoryData<string, string>();
        foreach (var folder in new[] { "fuzz-regressions", "fuzz-corpus" })
        {
            var root = Path.Combine(AppContext.BaseDirectory, folder);
            if (!Directory.Exists(root))
            {
                continue;
            }

            foreach (var file in Directory.GetFiles(root, "*", SearchOption.AllDirectories).Where(f => !f.EndsWith(".md", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
            {
                var relative = Path.GetRelativePath(root, file);
                data.Add(relative.Split(Path.DirectorySeparatorChar)[0], Path.Combine(folder, relative));
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Inputs))]
    public void Each_corpus_and_crash_input_is_parsed_or_refused_cleanly(string target, string input)
    {
        FuzzTargets.All.Should().ContainKey(target, "every corpus folder is named after a target");
        var bytes = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, input));

        var act = () => FuzzTargets.All[target](bytes);

        act.Should().NotThrow();
    }

    [Fact]
    public void Every_target_has_a_seed_corpus()
    {
        var corpus = Path.Combine(AppContext.BaseDirectory, "fuzz-corpus");
        foreach (var target in FuzzTargets.All.Keys)
        {
            Directory.GetFiles(Path.Combine(corpus, target)).Should().NotBeEmpty($"{target} needs seed inputs");
        }
    }
}
