using System.Xml.Linq;
using AwesomeAssertions;

namespace Cairn.Architecture.Tests;

/// <summary>
/// The engine libraries document their public surface: each generates its XML documentation, so a public member
/// without a summary is CS1591, a warning the build turns into an error (issue 13, item 7).
/// </summary>
public sealed class DocumentationTests
{
    private static readonly SourceTree Tree = SourceTree.Find();

    public static TheoryData<string> EngineLibraries => [.. Layers.Engine.Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(EngineLibraries))]
    public void Every_engine_library_fails_its_build_on_a_missing_doc_comment(string project)
    {
        var settings = ProjectSettings.Of(Tree, project);

        settings.Value("GenerateDocumentationFile").Should().Be("true", $"{project} must generate its documentation");
        settings.Value("TreatWarningsAsErrors").Should().Be("true", $"a missing doc comment in {project} must fail the build");
        (settings.Value("NoWarn") ?? "").Split(';', StringSplitOptions.TrimEntries).Should()
            .NotContain("CS1591", $"{project} must not silence missing doc comments");
    }

    [Fact]
    public void The_settings_reader_sees_a_project_that_turns_documentation_off()
    {
        var settings = ProjectSettings.From(project: "Cairn.Example",
            XDocument.Parse("<Project><PropertyGroup><GenerateDocumentationFile>true</GenerateDocumentationFile></PropertyGroup></Project>"),
            XDocument.Parse("<Project><PropertyGroup><GenerateDocumentationFile>false</GenerateDocumentationFile></PropertyGroup></Project>"));

        settings.Value("GenerateDocumentationFile").Should().Be("false");
    }
}
