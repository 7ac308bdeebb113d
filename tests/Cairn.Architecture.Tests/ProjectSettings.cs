using System.Xml.Linq;

namespace Cairn.Architecture.Tests;

/// <summary>
/// The properties a project under src/ ends up with from the root Directory.Build.props and its own project file,
/// read as written: a property group counts when it has no condition or its condition names the project
/// (<c>'$(MSBuildProjectName)' == 'Cairn.X'</c>); a later value replaces an earlier one, as MSBuild does.
/// </summary>
internal sealed class ProjectSettings
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    private ProjectSettings()
    {
    }

    public static ProjectSettings Of(SourceTree tree, string project) => From(project,
        XDocument.Load(Path.Combine(tree.Root, "Directory.Build.props")),
        XDocument.Load(Path.Combine(tree.Root, "src", project, project + ".csproj")));

    /// <summary>The settings from project files in the order MSBuild imports them.</summary>
    public static ProjectSettings From(string project, params XDocument[] files)
    {
        var settings = new ProjectSettings();
        foreach (var group in files.SelectMany(f => f.Descendants("PropertyGroup")))
        {
            if (!AppliesTo(group.Attribute("Condition")?.Value, project))
            {
                continue;
            }

            foreach (var property in group.Elements())
            {
                if (AppliesTo(property.Attribute("Condition")?.Value, project))
                {
                    settings._values[property.Name.LocalName] = property.Value.Trim();
                }
            }
        }

        return settings;
    }

    public string? Value(string property) => _values.GetValueOrDefault(property);

    private static bool AppliesTo(string? condition, string project)
        => string.IsNullOrWhiteSpace(condition) || condition.Contains($"'$(MSBuildProjectName)' == '{project}'", StringComparison.Ordinal);
}
