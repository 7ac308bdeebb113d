using Cairn.Platform;

namespace Cairn.Testing.Trees;

/// <summary>
/// A temporary folder under the system's temp directory, removed with everything in it on dispose. Removal goes
/// through raw byte paths, so names that are not UTF-8 and folders without permissions are removed too.
/// </summary>
public sealed class Scratch : IDisposable
{
    public Scratch(string prefix = "cairn-test-")
    {
        Path = Directory.CreateTempSubdirectory(prefix).FullName;
        Raw = RawPath.FromString(Path);
    }

    public string Path { get; }

    public RawPath Raw { get; }

    /// <summary>A path inside the folder (not created).</summary>
    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public void Dispose() => RemoveTree(Raw);

    /// <summary>Removes a file, or a folder and everything below it; a missing path is fine.</summary>
    public static void RemoveTree(RawPath path)
    {
        if (!PosixFileSystem.Exists(path))
        {
            return;
        }

        if (PosixFileSystem.LStat(path).Kind == FileKind.Directory)
        {
            // Root ignores permission bits, but a test may run as another user: make the folder listable first.
            PosixFileSystem.SetPermissions(path, 0x1C0);
            foreach (var name in PosixFileSystem.ReadDirectory(path))
            {
                RemoveTree(path.Join(name));
            }
        }

        PosixFileSystem.Remove(path);
    }
}
