namespace Cairn.Cli.Tests.Infrastructure;

public static class ResultAssertions
{
    /// <summary>Asserts exit code 0; the failure message shows the command and its output.</summary>
    public static ProgramResult ShouldSucceed(this ProgramResult result)
    {
        result.ExitCode.Should().Be(0, result.ToString());
        return result;
    }

    /// <summary>Asserts the exit code and that standard error is one "Fatal: ..." line containing <paramref name="fragment"/>, with no stack trace.</summary>
    public static ProgramResult ShouldFailWith(this ProgramResult result, int exitCode, string fragment)
    {
        result.ExitCode.Should().Be(exitCode, result.ToString());
        result.StderrLines.Should().ContainSingle(result.ToString()).Which.Should().StartWith("Fatal: ").And.Contain(fragment);
        result.ShouldHaveNoStackTrace();
        return result;
    }

    public static void ShouldHaveNoStackTrace(this ProgramResult result)
    {
        (result.Stdout + result.Stderr).Should().NotContainAny(["   at ", "Exception:", "--- End of"], result.ToString());
    }
}
