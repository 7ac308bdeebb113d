namespace Cairn.Bench.Tools;

/// <summary>How the harness drives one backup program: the command lines of its four steps.</summary>
internal interface IBackupTool
{
    /// <summary>"cairn", "restic" or "borg": the name in the table and in the JSON.</summary>
    string Name { get; }

    ToolCommand Version();

    ToolCommand Init(string repository);

    /// <summary>Backs up <paramref name="source"/>; <paramref name="sequence"/> (1, 2, 3) names the snapshot where a name is needed.</summary>
    ToolCommand Backup(string repository, string source, int sequence);

    /// <summary>Restores the snapshot of backup <paramref name="sequence"/> (the latest) into the empty folder <paramref name="target"/>, full paths below it.</summary>
    ToolCommand Restore(string repository, string target, int sequence);
}

/// <summary>One program invocation. <see cref="WorkingDirectory"/> null means the harness's own.</summary>
internal sealed record ToolCommand(string FileName, IReadOnlyList<string> Arguments, string? WorkingDirectory = null);

/// <summary>The compression setting every tool gets: restic's and cairn's modes, and borg's nearest equivalent.</summary>
internal enum CompressionSetting
{
    Auto,
    Off,
}
