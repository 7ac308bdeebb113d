using Cairn.Cli.Tests.Infrastructure;
using Cairn.Testing.Trees;

namespace Cairn.Cli.Tests;

/// <summary>Issue 17, item 7: generate writes completion scripts that a shell loads and that complete commands and flags, and man pages.</summary>
public sealed class GenerateTests : IDisposable
{
    private readonly Workspace _workspace = new("cairn-generate-");

    public void Dispose() => _workspace.Dispose();

    private static Task<ProgramResult> BashAsync(string script) =>
        ProgramRunner.RunAsync("bash", ["-c", script], new Dictionary<string, string>(), cancellationToken: TestContext.Current.CancellationToken);

    private async Task<string> BashCompletionAsync()
    {
        var file = _workspace.Scratch.Combine("cairn.bash");
        (await _workspace.Cairn.RunAsync("generate", "--bash-completion", file)).ShouldSucceed().Stdout.Should().Contain($"writing bash completion file to {file}");
        return file;
    }

    [Fact]
    public async Task The_bash_completion_script_loads_in_bash_and_registers_cairn()
    {
        var file = await BashCompletionAsync();

        var loaded = (await BashAsync($"source '{file}'; complete -p cairn")).ShouldSucceed();

        loaded.Stdout.Trim().Should().Be("complete -o default -F _cairn cairn");
    }

    [Theory]
    [InlineData("cairn snap", "snapshots")]
    [InlineData("cairn mi", "migrate")]
    [InlineData("cairn key ''", "add list passwd remove")]
    [InlineData("cairn snapshots --ho", "--host")]
    [InlineData("cairn -r /srv/repo migrate --fo", "--force")]
    [InlineData("cairn key add --re", "--retry-lock --repo --repository-file")]
    [InlineData("cairn generate --bash", "--bash-completion")]
    public async Task Bash_completes_commands_subcommands_and_each_commands_flags(string line, string expected)
    {
        var file = await BashCompletionAsync();

        var completed = (await BashAsync($"source '{file}'; COMP_WORDS=({line}); COMP_CWORD=$((${{#COMP_WORDS[@]}} - 1)); _cairn; echo \"${{COMPREPLY[*]}}\"")).ShouldSucceed();

        // bash sorts what it offers; the script's order is its own.
        completed.Stdout.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Order(StringComparer.Ordinal)
            .Should().Equal(expected.Split(' ').Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Zsh_and_fish_scripts_name_every_command_and_register_themselves()
    {
        var zsh = _workspace.Scratch.Combine("_cairn");
        var fish = _workspace.Scratch.Combine("cairn.fish");

        (await _workspace.Cairn.RunAsync("generate", "--zsh-completion", zsh, "--fish-completion", fish)).ShouldSucceed();

        var zshText = File.ReadAllText(zsh);
        zshText.Should().StartWith("#compdef cairn").And.Contain("compdef _cairn cairn").And.Contain("'snapshots:List all snapshots'").And.Contain("'--host:");
        var fishText = File.ReadAllText(fish);
        fishText.Should().Contain("complete -c cairn -f -n '__fish_use_subcommand' -a 'migrate'")
            .And.Contain("complete -c cairn -l repo -s r -r -d")
            .And.Contain("complete -c cairn -n '__fish_seen_subcommand_from snapshots' -l host -s H -r -d");
    }

    [Fact]
    public async Task Man_pages_are_written_per_command_and_render_as_roff_without_warnings()
    {
        var directory = _workspace.Scratch.Combine("man");

        (await _workspace.Cairn.RunAsync("generate", "--man", directory)).ShouldSucceed();

        Directory.GetFiles(directory).Select(Path.GetFileName).Should().Contain(["cairn.1", "cairn-snapshots.1", "cairn-key-add.1", "cairn-migrate.1", "cairn-generate.1"]);
        var rendered = (await BashAsync($"groff -man -Tutf8 -ww -z '{Path.Combine(directory, "cairn-snapshots.1")}' 2>&1; MANWIDTH=200 man -l '{Path.Combine(directory, "cairn-snapshots.1")}' | col -b")).ShouldSucceed();
        rendered.Stdout.Should().Contain("cairn-snapshots - List all snapshots")
            .And.Contain("--host")
            .And.Contain("OPTIONS INHERITED FROM PARENT COMMANDS")
            .And.NotContain("warning");
    }

    [Fact]
    public async Task Generate_without_an_output_says_what_to_give()
    {
        (await _workspace.Cairn.RunAsync("generate")).ShouldFailWith(1, "please specify at least one output");
    }
}
