using System.Text.Json;

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
    /// syncs it. The caller holds the rotate lock, so that no other entry comes in between.
    /// </summary>
    public static void AppendArchive(LogFiles files, ArchiveInfo info, ChainKey? key, bool adopted = false)
    {
        var entry = Describe(info);
        if (adopted) entry["adopted"] = true;
        AppendChained(files, entry, key);
    }

    /// <summary>Appends the chain's record that an archive was removed, and why. The caller holds the rotate lock.</summary>
    public static void AppendRemoval(LogFiles files, ArchiveInfo info, DateTimeOffset at, string reason, ChainKey? key)
    {
        var entry = Describe(info, nameKey: "removed");
        entry["at"] = UtcTimestamp.Format(at);
        entry["reason"] = reason;
        AppendChained(files, entry, key);
    }

    /// <summary>
    /// Appends a description outside the chain, for an archive this module did not make (the
    /// original's): it lets queries skip the archive by time, and vouches for nothing.
    /// </summary>
    public static void AppendHint(LogFiles files, ArchiveInfo info) => Append(files, JsonSerializer.SerializeToUtf8Bytes(Describe(info)));

    private static void AppendChained(LogFiles files, Dictionary<string, object?> entry, ChainKey? key)
    {
        var last = ReadLines(files).LastOrDefault(l => l.IsChained);
        entry["seq"] = last is null ? 0 : last.Sequence + 1;
        entry["prev"] = last?.Digest;
        if (key is not null) entry["key"] = key.Id;
        var line = JsonSerializer.SerializeToUtf8Bytes(entry);
        if (key is not null) line = IndexLine.WithSignature(line, key.Sign(line));
        Append(files, line);
    }

    /// <summary>An archive's description, its file name under <paramref name="nameKey"/> ("archive", or "removed" for a removal).</summary>
    private static Dictionary<string, object?> Describe(ArchiveInfo info, string nameKey = "archive") => new()
    {
        [nameKey] = Path.GetFileName(info.Path),
        ["first_ts"] = Format(info.FirstTimestamp),
        ["last_ts"] = Format(info.LastTimestamp),
        ["lines"] = info.Lines,
        ["bytes"] = info.UncompressedBytes,
        ["gz_bytes"] = info.CompressedBytes,
        ["sha256"] = info.Sha256,
    };

    private static string? Format(DateTimeOffset? time) => time is { } t ? UtcTimestamp.Format(t) : null;

    private static void Append(LogFiles files, byte[] line)
    {
        using var handle = NativeFile.OpenForAppend(files.Index);
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
