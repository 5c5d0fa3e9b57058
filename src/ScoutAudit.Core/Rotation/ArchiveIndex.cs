using System.Text;
using System.Text.Json;

namespace ScoutAudit.Core;

/// <summary>
/// The sidecar index <c>&lt;stem&gt;.index.jsonl</c>: one JSON line per archive, appended when the
/// archive is complete. It only ever speeds queries up: an entry is used only while the archive's
/// size still matches it, and a missing, partial or corrupt index simply means scanning.
/// </summary>
internal static class ArchiveIndex
{
    /// <summary>Entries by archive file name; damaged lines and later duplicates are ignored.</summary>
    public static Dictionary<string, ArchiveInfo> Read(LogFiles files)
    {
        var entries = new Dictionary<string, ArchiveInfo>(StringComparer.Ordinal);
        byte[] content;
        try
        {
            content = File.ReadAllBytes(files.Index);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return entries;
        }
        foreach (var line in Encoding.UTF8.GetString(content).Split('\n'))
        {
            if (TryParse(line, files, out var name, out var info)) entries.TryAdd(name, info);
        }
        return entries;
    }

    /// <summary>Appends an entry and syncs it. The caller holds the rotate lock.</summary>
    public static void Append(LogFiles files, ArchiveInfo info)
    {
        var entry = new Dictionary<string, object?>
        {
            ["archive"] = System.IO.Path.GetFileName(info.Path),
            ["first_ts"] = info.FirstTimestamp is { } first ? UtcTimestamp.Format(first) : null,
            ["last_ts"] = info.LastTimestamp is { } last ? UtcTimestamp.Format(last) : null,
            ["lines"] = info.Lines,
            ["bytes"] = info.UncompressedBytes,
            ["gz_bytes"] = info.CompressedBytes,
            ["sha256"] = info.Sha256,
        };
        var line = JsonSerializer.SerializeToUtf8Bytes(entry);
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

    private static bool TryParse(string line, LogFiles files, out string name, out ArchiveInfo info)
    {
        name = "";
        info = null!;
        if (string.IsNullOrWhiteSpace(line)) return false;
        try
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            name = root.GetProperty("archive").GetString() ?? "";
            if (name.Length == 0 || name.Contains('/') || name.Contains('\\')) return false;
            info = new ArchiveInfo(
                files.PathOf(name),
                root.GetProperty("gz_bytes").GetInt64(),
                Timestamp(root, "first_ts"),
                Timestamp(root, "last_ts"),
                root.GetProperty("lines").GetInt64(),
                root.GetProperty("bytes").GetInt64(),
                root.GetProperty("sha256").GetString());
            return true;
        }
        catch (Exception error) when (error is JsonException or InvalidOperationException or KeyNotFoundException or FormatException)
        {
            return false;
        }
    }

    private static DateTimeOffset? Timestamp(JsonElement root, string property) =>
        root.GetProperty(property) is { ValueKind: JsonValueKind.String } value &&
        UtcTimestamp.TryParse(Encoding.UTF8.GetBytes(value.GetString()!), out var parsed)
            ? parsed
            : null;
}
