using System.CommandLine;
using System.Diagnostics;
using Cairn.Repository;
using Cairn.Storage;

namespace Cairn.Cli;

/// <summary>Finds the repository location and password from flags, environment or terminal, and opens it.</summary>
internal static class RepositoryOpener
{
    public static string Location(ParseResult result) => RepositoryAccess.MainRepository(result).ResolveLocation();

    /// <summary>The store the location names, throttled as --limit-upload and --limit-download ask.</summary>
    public static IObjectStore OpenStore(ParseResult result) => OpenStore(result, RepositoryAccess.MainRepository(result));

    private static IObjectStore OpenStore(ParseResult result, RepositoryAccess access) => ThrottledObjectStore.Wrap(
        ObjectStoreFactory.Open(access.ResolveLocation()),
        GlobalOptions.RateLimit(result, GlobalOptions.LimitUpload),
        GlobalOptions.RateLimit(result, GlobalOptions.LimitDownload));

    /// <summary>How to open the repository at <paramref name="location"/>; <paramref name="useCache"/> false reads only the store (check).</summary>
    public static RepositoryOptions Options(ParseResult result, string location, bool useCache = true) => new()
    {
        Compression = GlobalOptions.CompressionMode(result),
        Kdf = KdfFromEnvironment(),
        Cache = useCache ? CacheFlags.Options(result, location) : null,
    };

    /// <summary>CAIRN_TEST_KDF=fast lowers scrypt's cost for test suites only; it weakens the key file.</summary>
    private static KdfParameters KdfFromEnvironment() =>
        Environment.GetEnvironmentVariable("CAIRN_TEST_KDF") == "fast" ? KdfParameters.Fast : KdfParameters.Default;

    public static Task<ResticRepository> OpenAsync(ParseResult result, CancellationToken cancellationToken, bool useCache = true) =>
        OpenAsync(result, RepositoryAccess.MainRepository(result), cancellationToken, useCache);

    /// <summary>
    /// Opens the repository <paramref name="access"/> names (the main one or a command's second one), with the local
    /// cache for a remote one unless <paramref name="useCache"/> is false or --no-cache is given. The index is not
    /// loaded here: a reader loads it through <see cref="OpenReaderAsync(ParseResult, SnapshotQuery, CancellationToken, Action{Id, CorruptedDataException}?, bool)"/>
    /// (after its lock and snapshots), a writer through <see cref="CommandLock"/> once its lock is written.
    /// </summary>
    public static async Task<ResticRepository> OpenAsync(ParseResult result, RepositoryAccess access, CancellationToken cancellationToken, bool useCache = true)
    {
        ArgumentNullException.ThrowIfNull(access);
        var location = access.ResolveLocation();
        var options = Options(result, location, useCache) with { KeyHint = access.KeyHint };
        CacheFlags.CleanUpIfAsked(result);
        var store = OpenStore(result, access);
        ResticRepository repository;
        try
        {
            var password = ReadPassword(access, confirm: false);
            repository = await ResticRepository.OpenAsync(store, password, options, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await store.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return repository;
    }

    /// <summary>
    /// Opens the main repository for reading: the engine's one reader sequence (lock, the snapshots
    /// <paramref name="query"/> asks for, then the index), with --no-lock and --retry-lock honoured.
    /// </summary>
    public static Task<ReadSession> OpenReaderAsync(ParseResult result, SnapshotQuery query, CancellationToken cancellationToken,
        Action<Id, CorruptedDataException>? unreadableSnapshot = null, bool loadIndex = true) =>
        OpenReaderAsync(result, RepositoryAccess.MainRepository(result), query, cancellationToken, unreadableSnapshot, loadIndex);

    /// <summary><see cref="OpenReaderAsync(ParseResult, SnapshotQuery, CancellationToken, Action{Id, CorruptedDataException}?, bool)"/> for the repository <paramref name="access"/> names; the session owns the repository.</summary>
    public static async Task<ReadSession> OpenReaderAsync(ParseResult result, RepositoryAccess access, SnapshotQuery query, CancellationToken cancellationToken,
        Action<Id, CorruptedDataException>? unreadableSnapshot = null, bool loadIndex = true)
    {
        var repository = await OpenAsync(result, access, cancellationToken).ConfigureAwait(false);
        var options = new ReadSessionOptions
        {
            Lock = !result.GetValue(GlobalOptions.NoLock),
            RetryLockFor = GlobalOptions.RetryLockDuration(result),
            LoadIndex = loadIndex,
            UnreadableSnapshot = unreadableSnapshot,
        };
        return await ReadSession.OpenAsync(repository, query, options, ownsRepository: true, cancellationToken).ConfigureAwait(false);
    }

    public static string ReadPassword(ParseResult result, bool confirm, string prompt = "enter password for repository: ") =>
        ReadPassword(RepositoryAccess.MainRepository(result) with { Prompt = prompt }, confirm);

    /// <summary>The password from the environment, a file, a command, or else the terminal, in that order.</summary>
    public static string ReadPassword(RepositoryAccess access, bool confirm)
    {
        ArgumentNullException.ThrowIfNull(access);
        if (access.Password is { } fromEnv)
        {
            return fromEnv;
        }

        var file = access.PasswordFile;
        if (file is not null)
        {
            try
            {
                return FirstLine(File.ReadAllText(file));
            }
            catch (IOException e)
            {
                throw new UsageException($"cannot read password file {file}: {e.Message}");
            }
        }

        var command = access.PasswordCommand;
        if (command is not null)
        {
            return RunPasswordCommand(command);
        }

        return Prompt(access.Prompt, confirm);
    }

    private static string FirstLine(string text)
    {
        var end = text.IndexOfAny(['\r', '\n']);
        return end < 0 ? text : text[..end];
    }

    private static string RunPasswordCommand(string command)
    {
        var start = new ProcessStartInfo("/bin/sh", ["-c", command])
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start) ?? throw new UsageException($"password command \"{command}\" could not start");
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new UsageException($"password command failed with exit code {process.ExitCode}");
        }

        return FirstLine(output);
    }

    /// <summary>Asks on the terminal without echo; from a pipe, reads one line.</summary>
    public static string Prompt(string prompt, bool confirm)
    {
        if (Console.IsInputRedirected)
        {
            return Console.In.ReadLine() ?? throw new UsageException("no password given (empty standard input)");
        }

        var first = ReadHidden(prompt);
        if (confirm && ReadHidden("enter password again: ") != first)
        {
            throw new UsageException("passwords do not match");
        }

        if (first.Length == 0)
        {
            throw new UsageException("an empty password is not allowed");
        }

        return first;
    }

    private static string ReadHidden(string prompt)
    {
        Console.Error.Write(prompt);
        var chars = new System.Text.StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter)
            {
                break;
            }

            if (key.Key == ConsoleKey.Backspace)
            {
                if (chars.Length > 0)
                {
                    chars.Length--;
                }

                continue;
            }

            chars.Append(key.KeyChar);
        }

        Console.Error.WriteLine();
        return chars.ToString();
    }
}

/// <summary>Takes the repository lock a command needs, honouring --retry-lock and --no-lock.</summary>
internal static class CommandLock
{
    public static async Task<RepositoryLock?> AcquireAsync(ParseResult result, ResticRepository repository, bool exclusive, CancellationToken cancellationToken)
    {
        if (!exclusive && result.GetValue(GlobalOptions.NoLock))
        {
            return null;
        }

        return await RepositoryLock.AcquireAsync(repository, exclusive, GlobalOptions.RetryLockDuration(result), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Takes the lock and loads the index while the lock settles (restic waits 200 ms for racing lockers). Each
    /// attempt starts from an empty index, so nothing read before a refused attempt survives into the next.
    /// </summary>
    public static async Task<RepositoryLock?> AcquireAndLoadIndexAsync(ParseResult result, ResticRepository repository, CancellationToken cancellationToken)
    {
        if (result.GetValue(GlobalOptions.NoLock))
        {
            await repository.ReloadIndexAsync(cancellationToken).ConfigureAwait(false);
            return null;
        }

        return await RepositoryLock.AcquireAsync(repository, exclusive: false, GlobalOptions.RetryLockDuration(result), cancellationToken, repository.ReloadIndexAsync).ConfigureAwait(false);
    }
}
