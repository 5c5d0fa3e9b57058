namespace ScoutAudit.Core;

/// <summary>
/// The sidecar index <c>&lt;stem&gt;.index.jsonl</c>: one JSON line per archive, appended when the
/// archive is complete. For queries it is a hint: an entry is used only while the archive's size
/// still matches it, and a missing, partial or corrupt index simply means scanning. For audits it
/// is a chain (<see cref="IndexLine"/>): each entry of an archive this module made holds the
/// digest of the entry before it, and a signature when the log has a signing key, which
/// <see cref="LogVerifier"/> checks.
/// <para>
/// What a query takes from it must be vouched for, since a false time range hides an archive from a
/// time window: an archive in the chain is described by its first chained entry alone, which the
/// chain and its signature vouch for (Test-ScoutAuditLog catches an edited one); a hint, which
/// nothing vouches for, describes only an archive outside the chain (the original's), and only
/// while the index is the caller's alone to write (<see cref="SidecarTrust"/>).
/// </para>
/// </summary>
internal static class ArchiveIndex
{
    /// <summary>
    /// What queries may take from the index (see the class summary), by archive file name; damaged
    /// lines are ignored. Hints left out for the index's owner or mode are said to <paramref name="diagnostics"/>.
    /// </summary>
    public static Dictionary<string, ArchiveDescription> Read(LogFiles files, IAuditDiagnostics? diagnostics = null)
    {
        var lines = ReadLines(files, out var callersAlone, out var refused);
        if (refused is not null)
            diagnostics?.Report(new AuditDiagnostic(AuditDiagnosticKind.SidecarRefused, files.Index,
                $"The archive index is not read: {refused.Message} Every archive is read whole.", Exception: refused));
        if (!callersAlone && diagnostics is not null && lines.Any(l => l.Kind == IndexLineKind.Hint))
            diagnostics.Report(new AuditDiagnostic(AuditDiagnosticKind.SegmentRead, files.Index,
                $"The archive index '{files.Index}' is not yours alone to write (another user owns it, or group or others may write it): its hints, which nothing vouches for, decide nothing, so the archives outside the chain are read whole."));
        var descriptions = new Dictionary<string, ArchiveDescription>(StringComparer.Ordinal);
        foreach (var (archive, line) in Describing(lines, trustHints: callersAlone)) descriptions[archive] = line.Info!;
        return descriptions;
    }

    /// <summary>
    /// The line that describes each archive to queries: its first chained entry (a later line, chained
    /// or not, never overrides it), else, when <paramref name="trustHints"/>, its latest hint.
    /// </summary>
    public static Dictionary<string, IndexLine> Describing(IEnumerable<IndexLine> lines, bool trustHints)
    {
        var chained = new Dictionary<string, IndexLine>(StringComparer.Ordinal);
        var hints = new Dictionary<string, IndexLine>(StringComparer.Ordinal);
        foreach (var line in lines)
        {
            if (line.Kind == IndexLineKind.Archive) chained.TryAdd(line.Archive!, line);
            else if (line.Kind == IndexLineKind.Hint && trustHints) hints[line.Archive!] = line;
        }
        foreach (var (archive, hint) in hints) chained.TryAdd(archive, hint);
        return chained;
    }

    /// <summary>Every line of the index, in file order; none when it does not exist or cannot be read.</summary>
    public static List<IndexLine> ReadLines(LogFiles files) => ReadLines(files, out _);

    /// <summary>
    /// Every line of the index, in file order, and whether the file is the caller's alone to write
    /// (<see cref="SidecarTrust"/>), found on the handle the lines are read from; a missing index
    /// has nothing to distrust, an unreadable one is not trusted.
    /// </summary>
    public static List<IndexLine> ReadLines(LogFiles files, out bool callersAlone) => ReadLines(files, out callersAlone, out _);

    /// <summary>As <see cref="ReadLines(LogFiles, out bool)"/>; <paramref name="refused"/> says why an index that is there was not read.</summary>
    private static List<IndexLine> ReadLines(LogFiles files, out bool callersAlone, out UnsafeFileException? refused)
    {
        refused = null;
        try
        {
            using var index = SidecarFile.OpenForReading(files.Index, SidecarFile.IndexLimit);
            if (index is null)
            {
                callersAlone = true;
                return [];
            }
            callersAlone = SidecarTrust.IsCallersAlone(index.SafeFileHandle);
            var content = new byte[index.Length];
            index.ReadExactly(content);
            return IndexLine.ParseAll(content, files);
        }
        catch (Exception error) when (error is FileNotFoundException or DirectoryNotFoundException)
        {
            callersAlone = true;
            return [];
        }
        catch (UnsafeFileException error)
        {
            (callersAlone, refused) = (false, error);
            return [];
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            callersAlone = false;
            return [];
        }
    }

    /// <summary>
    /// Appends the chained entry of an archive this module made (or, <paramref name="adopted"/>, one
    /// found on disk that the chain takes over), signed when <paramref name="key"/> is given, and
    /// syncs it. The caller holds the rotate lock.
    /// </summary>
    public static void AppendArchive(LogFiles files, ArchiveDescription info, ChainKey? key, bool adopted = false) =>
        AppendChained(files, IndexLine.ArchiveEntry(info, adopted), key);

    /// <summary>Appends the chain's record that an archive was removed, and why. The caller holds the rotate lock.</summary>
    public static void AppendRemoval(LogFiles files, ArchiveDescription info, DateTimeOffset at, string reason, ChainKey? key) =>
        AppendChained(files, IndexLine.RemovalEntry(info, at, reason), key);

    /// <summary>
    /// Appends a description outside the chain, for an archive this module did not make (the
    /// original's): it lets queries skip the archive by time, and vouches for nothing. Writes
    /// nothing, and returns false, when the index is not the caller's alone to write, as found on
    /// the handle it would write with: queries would not take the hint from it, and a reader has no
    /// business adding to another's file.
    /// </summary>
    public static bool AppendHint(LogFiles files, ArchiveDescription info)
    {
        using var handle = NativeFile.OpenForAppend(files.Index);
        if (!SidecarTrust.IsCallersAlone(handle)) return false;
        Write(handle, IndexLine.Hint(info).Encode());
        return true;
    }

    /// <summary>
    /// Appends <paramref name="entry"/> to the chain, after its last entry, signed when
    /// <paramref name="key"/> is given. The index file is locked while its last entry is read and
    /// the new one written (<see cref="LogFiles.ChainLock"/>), so that entries appended at once by a
    /// sealer and an archiver (who hold different locks) each follow the other.
    /// </summary>
    /// <exception cref="AuditLogException">The chain is signed and no key was given (<see cref="RequireKeyFor(LogFiles, ChainKey?)"/>).</exception>
    public static void AppendChained(LogFiles files, IndexLine entry, ChainKey? key)
    {
        // A lock file of its own, not a lock on the index: .NET locks a FileStream's file itself
        // (flock, shared for FileShare.Read), so a reader opening the index while it was locked
        // exclusive would fail, and read no chain at all.
        using var chainLock = CrossProcessLock.Open(files.ChainLock);
        using (chainLock.Acquire(exclusive: true))
        using (var handle = NativeFile.OpenForAppend(files.Index))
        {
            var content = new byte[RandomAccess.GetLength(handle)];
            content = content[..RandomAccess.Read(handle, content, 0)];
            var chained = IndexLine.ParseAll(content, files).Where(l => l.IsChained).ToList();
            RequireKeyFor(files, chained, key);
            var line = entry.Chained(chained.LastOrDefault(), key?.Id).Encode();
            if (key is not null) line = IndexLine.WithSignature(line, key.Sign(line));
            Write(handle, line);
        }
    }

    /// <summary>
    /// Signing is a property of the log, not of one session: once its chain has a signed entry, an
    /// entry without a signature would be a hole a tamperer could use, so a process without the
    /// signing key does not add one. Called before anything changes (sealing asks first).
    /// </summary>
    /// <exception cref="AuditLogException">The chain has a signed entry and <paramref name="key"/> is null.</exception>
    public static void RequireKeyFor(LogFiles files, ChainKey? key) => RequireKeyFor(files, ReadLines(files).Where(l => l.IsChained).ToList(), key);

    /// <summary>As <see cref="RequireKeyFor(LogFiles, ChainKey?)"/>, with the chain's entries already read.</summary>
    public static void RequireKeyFor(LogFiles files, IReadOnlyList<IndexLine> chained, ChainKey? key)
    {
        if (key is not null || chained.LastOrDefault(l => l.Signature is not null) is not { } signed) return;
        throw new AuditLogException(files.Active,
            $"The chain of '{files.Active}' is signed (entry {signed.Sequence}, key {signed.KeyId}), and this session has no signing key: " +
            "it does not rotate, archive or remove archives, which would add unsigned entries to the chain. The log goes on growing; " +
            "rotate it in a session that has the key (Set-ScoutAuditLog -SigningKey <PEM file>).");
    }

    private static void Write(Microsoft.Win32.SafeHandles.SafeFileHandle handle, byte[] line)
    {
        // A torn last entry from a crash must not swallow this one.
        var prefix = RandomAccess.GetLength(handle) > 0 && !EndsWithNewline(handle) ? "\n"u8.ToArray() : [];
        NativeFile.Write(handle, [.. prefix, .. line, (byte)'\n']);
        NativeFile.Sync(handle);
    }

    private static bool EndsWithNewline(Microsoft.Win32.SafeHandles.SafeFileHandle handle)
    {
        Span<byte> last = stackalloc byte[1];
        return RandomAccess.Read(handle, last, RandomAccess.GetLength(handle) - 1) == 1 && last[0] == (byte)'\n';
    }
}
