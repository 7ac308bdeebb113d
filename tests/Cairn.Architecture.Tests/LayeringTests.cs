using AwesomeAssertions;

namespace Cairn.Architecture.Tests;

/// <summary>
/// The layers hold in the project files, in every namespace a source file names, and in the picture of
/// docs/architecture.md: storage ← repository ← engines ← CLI, agent and Space (issue 13).
/// </summary>
public sealed class LayeringTests
{
    private static readonly SourceTree Tree = SourceTree.Find();

    [Fact]
    public void Every_project_reference_points_to_a_lower_layer()
    {
        Layers.Violations(Tree.ProjectGraph()).Should().BeEmpty();
    }

    [Fact]
    public void Every_namespace_a_source_file_names_belongs_to_a_project_it_references()
    {
        var graph = Tree.ProjectGraph();
        var violations = new List<string>();
        foreach (var project in graph.Keys)
        {
            var reachable = Layers.Reachable(graph, project);
            foreach (var file in Tree.SourcesOf(project))
            {
                foreach (var ns in NamespaceUses.In(File.ReadAllText(file)))
                {
                    if (NamespaceUses.OwnerOf(ns, graph.Keys) is { } owner && !reachable.Contains(owner))
                    {
                        violations.Add($"{Tree.Relative(file)} names {ns}, of {owner}, which {project} does not reference");
                    }
                }
            }
        }

        violations.Should().BeEmpty();
    }

    [Theory]
    [InlineData("Cairn.Space")]
    [InlineData("Cairn.Cli")]
    [InlineData("Cairn.Agent")]
    public void The_programs_use_no_engine_Internal_namespace(string program)
    {
        var graph = Tree.ProjectGraph();
        var engine = graph.Keys.Where(Layers.Engine.Contains).ToList();
        var violations = Tree.SourcesOf(program)
            .SelectMany(file => NamespaceUses.In(File.ReadAllText(file))
                .Where(ns => NamespaceUses.OwnerOf(ns, engine) is not null && NamespaceUses.IsInternal(ns))
                .Select(ns => $"{Tree.Relative(file)} uses {ns}"))
            .ToList();
        violations.Should().BeEmpty();
    }

    [Fact]
    public void Engine_internals_are_visible_to_test_projects_only()
    {
        var leaks = Tree.ProjectGraph().Keys.Where(Layers.Engine.Contains)
            .SelectMany(p => Tree.InternalsVisibleTo(p).Where(friend => !friend.EndsWith(".Tests", StringComparison.Ordinal))
                .Select(friend => $"{p} shows its internals to {friend}"))
            .ToList();
        leaks.Should().BeEmpty();
    }

    [Fact]
    public void The_architecture_document_shows_the_real_project_graph()
    {
        var document = File.ReadAllText(Path.Combine(Tree.Root, "docs", "architecture.md"));
        var expected = ProjectGraphText.Render(Tree.ProjectGraph());
        ProjectGraphText.Extract(document).Should().Be(expected,
            "docs/architecture.md must show the projects as they are; put this between its project-graph markers:\n" + expected);
    }
}
