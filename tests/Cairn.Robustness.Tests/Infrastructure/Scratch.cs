namespace Cairn.Robustness.Tests.Infrastructure;

/// <summary>A folder of its own under the system temp path, removed with everything in it on dispose.</summary>
public sealed class Scratch : IDisposable
{
    public Scratch(string prefix) => Path = Directory.CreateTempSubdirectory("cairn-robust-" + prefix + "-").FullName;

    public string Path { get; }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Read-only files of a repository under a non-root user; the temp folder is cleaned by the system.
        }
    }
}
