namespace ScoutAudit.Core;

/// <summary>
/// The sidecar index <c>&lt;stem&gt;.index.jsonl</c>: one JSON line per archive, appended when the
/// archive is complete. For queries it is a hint: an entry is used only while the archive's size
/// still matches it, and a missing, partial or corrupt index simply means scanning. For audits it
/// is a chain (<see cref="IndexLine"/>): each entry of an archive this module made holds the
/// digest of the entry before it, and a signature when the log has a signing key, which
/// <see cref="LogVerifier"/> checks.
/// </summary>
internal static class ArchiveIndex
{
    /// <summary>Descriptions by archive file name, the latest line of each archive winning; damaged lines are ignored.</summary>
    public static Dictionary<string, ArchiveInfo> Read(LogFiles files)
    {
        var entries = new Dictionary<string, ArchiveInfo>(StringComparer.Ordinal);
        foreach (var line in ReadLines(files))
        {
            if (line.Kind is IndexLineKind.Archive or IndexLineKind.Hint) entries[line.Archive!] = line.Info!;
        }
        return entries;
    }

    /// <summary>Every line of the index, in file order; none when it does not exist or cannot be read.</summary>
    public static List<IndexLine> ReadLines(LogFiles files)
    {
        try
        {
            return IndexLine.ParseAll(File.ReadAllBytes(files.Index), files);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    /// <summary>
    /// Appends the chained entry of an archive this module made (or, <paramref name="adopted"/>, one
    /// found on disk that the chain takes over), signed when <paramref name="key"/> is given, and
    /// syncs it. The caller holds the rotate lock.
    /// </summary>
    public static void AppendArchive(LogFiles files, ArchiveInfo info, ChainKey? key, bool adopted = false) =>
        AppendChained(files, IndexLine.ArchiveEntry(info, adopted), key);

    /// <summary>Appends the chain's record that an archive was removed, and why. The caller holds the rotate lock.</summary>
    public static void AppendRemoval(LogFiles files, ArchiveInfo info, DateTimeOffset at, string reason, ChainKey? key) =>
        AppendChained(files, IndexLine.RemovalEntry(info, at, reason), key);

    /// <summary>
    /// Appends a description outside the chain, for an archive this module did not make (the
    /// original's): it lets queries skip the archive by time, and vouches for nothing.
    /// </summary>
    public static void AppendHint(LogFiles files, ArchiveInfo info) => Append(files, IndexLine.Hint(info).Encode());

    /// <summary>
    /// Appends <paramref name="entry"/> to the chain, after its last entry, signed when
    /// <paramref name="key"/> is given. The index file is locked while its last entry is read and
    /// the new one written, so that entries appended at once by a sealer and an archiver (who hold
    /// different locks) each follow the other.
    /// </summary>
    /// <exception cref="AuditLogException">The chain is signed and no key was given (<see cref="RequireKeyFor(LogFiles, ChainKey?)"/>).</exception>
    public static void AppendChained(LogFiles files, IndexLine entry, ChainKey? key)
    {
        using var handle = NativeFile.OpenForAppend(files.Index);
        NativeFile.Lock(handle, exclusive: true, wait: true);
        try
        {
            var content = new byte[RandomAccess.GetLength(handle)];
            content = content[..RandomAccess.Read(handle, content, 0)];
            var chained = IndexLine.ParseAll(content, files).Where(l => l.IsChained).ToList();
            RequireKeyFor(files, chained, key);
            var line = entry.Chained(chained.LastOrDefault(), key?.Id).Encode();
            if (key is not null) line = IndexLine.WithSignature(line, key.Sign(line));
            Write(handle, line);
        }
        finally
        {
            NativeFile.Unlock(handle);
        }
    }

    /// <summary>
    /// Signing is a property of the log, not of one session: once its chain has a signed entry, an
    /// entry without a signature would be a hole a tamperer could use, so a process without the
    /// signing key does not add one. Called before anything changes (sealing asks first).
    /// </summary>
    /// <exception cref="AuditLogException">The chain has a signed entry and <paramref name="key"/> is null.</exception>
    public static void RequireKeyFor(LogFiles files, ChainKey? key) => RequireKeyFor(files, ReadLines(files).Where(l => l.IsChained).ToList(), key);

    private static void RequireKeyFor(LogFiles files, IReadOnlyList<IndexLine> chained, ChainKey? key)
    {
        if (key is not null || chained.LastOrDefault(l => l.Signature is not null) is not { } signed) return;
        throw new AuditLogException(files.Active,
            $"The chain of '{files.Active}' is signed (entry {signed.Sequence}, key {signed.KeyId}), and this session has no signing key: " +
            "it does not rotate, archive or remove archives, which would add unsigned entries to the chain. The log goes on growing; " +
            "rotate it in a session that has the key (Set-ScoutAuditLog -SigningKey <PEM file>).");
    }

    private static void Append(LogFiles files, byte[] line)
    {
        using var handle = NativeFile.OpenForAppend(files.Index);
        Write(handle, line);
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
