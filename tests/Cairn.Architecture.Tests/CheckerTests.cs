using AwesomeAssertions;

namespace Cairn.Architecture.Tests;

/// <summary>The checks themselves catch what they are for (so the layering tests can fail).</summary>
public sealed class CheckerTests
{
    private static readonly Dictionary<string, IReadOnlyList<string>> Graph = new(StringComparer.Ordinal)
    {
        ["Cairn.Storage"] = [],
        ["Cairn.Repository"] = ["Cairn.Storage"],
        ["Cairn.Restore"] = ["Cairn.Repository"],
        ["Cairn.Space"] = ["Cairn.Restore"],
    };

    [Fact]
    public void An_outward_reference_is_reported()
    {
        var bad = new Dictionary<string, IReadOnlyList<string>>(Graph, StringComparer.Ordinal) { ["Cairn.Storage"] = ["Cairn.Repository"] };
        Layers.Violations(bad).Should().ContainSingle().Which.Should().Contain("Cairn.Storage -> Cairn.Repository");
    }

    [Fact]
    public void A_sideways_reference_and_an_unknown_project_are_reported()
    {
        var bad = new Dictionary<string, IReadOnlyList<string>>(Graph, StringComparer.Ordinal)
        {
            ["Cairn.Restore"] = ["Cairn.Repository", "Cairn.Backup"],
            ["Cairn.Backup"] = ["Cairn.Repository"],
            ["Cairn.Widgets"] = [],
        };
        Layers.Violations(bad).Should().HaveCount(2);
    }

    [Fact]
    public void Reachable_follows_references_transitively()
    {
        Layers.Reachable(Graph, "Cairn.Space").Should().BeEquivalentTo(["Cairn.Space", "Cairn.Restore", "Cairn.Repository", "Cairn.Storage"]);
        Layers.Reachable(Graph, "Cairn.Repository").Should().NotContain("Cairn.Restore");
    }

    [Fact]
    public void Namespaces_are_read_from_code_not_from_comments_or_strings()
    {
        const string source = """
            using Cairn.Repository;
            using Alias = Cairn.Restore.Internal.Thing;
            // Cairn.Space calls this
            /// <summary>See Cairn.Cli.</summary>
            namespace Cairn.Storage.Local;
            class C { string s = "Cairn.Backup"; object o = new Cairn.Maintenance.Prune(); }
            """;
        NamespaceUses.In(source).Should().BeEquivalentTo(
            ["Cairn.Repository", "Cairn.Restore.Internal.Thing", "Cairn.Storage.Local", "Cairn.Maintenance.Prune"]);
    }

    [Fact]
    public void A_namespace_belongs_to_the_longest_project_name_it_starts_with()
    {
        string[] projects = ["Cairn.Space", "Cairn.Storage", "Cairn.Space.Extra"];
        NamespaceUses.OwnerOf("Cairn.Space.Backups.Stores", projects).Should().Be("Cairn.Space");
        NamespaceUses.OwnerOf("Cairn.Space.Extra.X", projects).Should().Be("Cairn.Space.Extra");
        NamespaceUses.OwnerOf("Cairn.SpaceX", projects).Should().BeNull();
        NamespaceUses.IsInternal("Cairn.Platform.Internal").Should().BeTrue();
        NamespaceUses.IsInternal("Cairn.Platform.Internals").Should().BeFalse();
    }

    [Fact]
    public void The_document_block_is_found_between_its_markers()
    {
        var text = "intro\n" + ProjectGraphText.Begin + "\n```\nx\n```\n" + ProjectGraphText.End + "\nrest";
        ProjectGraphText.Extract(text).Should().Be("```\nx\n```");
        ProjectGraphText.Extract("no markers").Should().BeNull();
    }
}
