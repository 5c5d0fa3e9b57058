namespace ScoutAudit.Core;

/// <summary>
/// Where the files of one log live, all in the active file's directory:
/// <list type="bullet">
/// <item><c>&lt;stem&gt;.jsonl</c>: the active file, appended to;</item>
/// <item><c>&lt;stem&gt;_YYYYMMDD_HHMMSS[_NNNN].jsonl</c>: a sealed segment awaiting compression;</item>
/// <item><c>&lt;stem&gt;_YYYYMMDD_HHMMSS[_NNNN].jsonl.gz</c>: its archive (the original's naming);</item>
/// <item><c>...jsonl.gz.tmp</c>: an archive being written, never read;</item>
/// <item><c>&lt;stem&gt;.jsonl.lock</c>: writers hold it shared while they append, sealing holds it exclusive;</item>
/// <item><c>&lt;stem&gt;.jsonl.seal-intent</c>: a sealer holds it exclusive while it waits for the lock above, so that
/// writers, who pass it shared before taking the lock, cannot starve the sealer;</item>
/// <item><c>&lt;stem&gt;.jsonl.rotate-lock</c>: held by whoever compresses or recovers;</item>
/// <item><c>&lt;stem&gt;.jsonl.chain-lock</c>: held for the moment an entry is appended to the chain (a sealer and an archiver may both append);</item>
/// <item><c>&lt;stem&gt;.index.jsonl</c>: the archive index, a hint for skipping archives and the chain that vouches for them (<see cref="IndexLine"/>);</item>
/// <item><c>&lt;stem&gt;.jsonl.blocks</c>: the time summaries of the active file's blocks, a hint for reading only a time window (<see cref="TimeBlocks"/>);</item>
/// <item><c>&lt;stem&gt;.jsonl.verified</c>: what the last verification without errors saw (<see cref="VerifiedState"/>).</item>
/// <item><c>&lt;stem&gt;.jsonl.forward-&lt;hash&gt;.json</c>: how far the log was forwarded to one endpoint (<see cref="ForwardingCheckpoint"/>).</item>
/// </list>
/// <see cref="LogFileNames"/> tells these names from others, for commands that must never write over them.
/// </summary>
internal sealed record LogFiles
{
    public LogFiles(string activePath)
    {
        Active = activePath;
        Directory = System.IO.Path.GetDirectoryName(activePath)!;
        Stem = System.IO.Path.GetFileNameWithoutExtension(activePath);
        AppendLock = activePath + LogFileNames.AppendLockSuffix;
        SealIntent = activePath + LogFileNames.SealIntentSuffix;
        RotateLock = activePath + LogFileNames.RotateLockSuffix;
        ChainLock = activePath + LogFileNames.ChainLockSuffix;
        Index = System.IO.Path.Combine(Directory, Stem + LogFileNames.IndexSuffix);
        TimeBlocks = activePath + LogFileNames.TimeBlocksSuffix;
        Verified = activePath + LogFileNames.VerifiedSuffix;
    }

    public string Active { get; }

    public string Directory { get; }

    public string Stem { get; }

    public string AppendLock { get; }

    public string SealIntent { get; }

    public string RotateLock { get; }

    public string ChainLock { get; }

    public string Index { get; }

    public string TimeBlocks { get; }

    public string Verified { get; }

    public string PathOf(string fileName) => System.IO.Path.Combine(Directory, fileName);

    /// <summary>
    /// Whether there is anything to read: the active file, a sealed segment, an archive, or the
    /// index of a log whose archives were all removed by recorded retention. Touches no file.
    /// </summary>
    public bool AnyExist =>
        File.Exists(Active) ||
        File.Exists(Index) ||
        (System.IO.Directory.Exists(Directory) &&
         System.IO.Directory.EnumerateFiles(Directory, Stem + "_*").Any(file =>
             ArchiveName.TryParse(System.IO.Path.GetFileName(file), Stem, out _, out var suffix) && suffix != ArchiveName.TemporarySuffix));
}
