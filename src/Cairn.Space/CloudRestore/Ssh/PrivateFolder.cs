namespace Cairn.Space.CloudRestore.Ssh;

/// <summary>
/// A temporary folder only this user can enter (0700), for secrets a child process must read from a file (an ssh
/// private key, a known_hosts file); deleted with everything in it on dispose.
/// </summary>
internal sealed class PrivateFolder : IDisposable
{
    private PrivateFolder(string path) => Path = path;

    public string Path { get; }

    public static PrivateFolder Create(string prefix)
        => new(Directory.CreateTempSubdirectory(prefix).FullName); // created 0700 on Unix

    /// <summary>Writes a file readable by its owner only (0600), created so before anything is in it.</summary>
    public string WriteSecret(string name, string content)
    {
        var path = System.IO.Path.Combine(Path, name);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using var stream = new FileStream(path, options);
        using var writer = new StreamWriter(stream);
        writer.Write(content);
        return path;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }
}
