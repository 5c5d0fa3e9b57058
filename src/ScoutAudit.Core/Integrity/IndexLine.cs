using System.Text;
using System.Text.Json;

namespace ScoutAudit.Core;

/// <summary>What a line of the archive index is.</summary>
internal enum IndexLineKind
{
    /// <summary>Not a JSON entry this module reads (a torn write, an edit).</summary>
    Damaged,

    /// <summary>An archive's description outside the chain: written before the chain existed, or for an archive the original made.</summary>
    Hint,

    /// <summary>An archive's entry in the chain.</summary>
    Archive,

    /// <summary>The chain's record that an archive was removed on purpose (retention).</summary>
    Removal,
}

/// <summary>
/// One line of the archive index as written: its bytes (which the next chained entry's <c>prev</c>
/// hashes), and what it says. A chained line carries <c>seq</c> (0, 1, 2... in file order),
/// <c>prev</c> (SHA-256 of the previous chained line, null for the first) and, when signed,
/// <c>key</c> and <c>sig</c>; the signature covers the line as it would read without its last
/// member <c>,"sig":"..."</c>.
/// </summary>
internal sealed record IndexLine(int Number, byte[] Bytes, IndexLineKind Kind)
{
    private static ReadOnlySpan<byte> SignatureMember => ",\"sig\":\""u8;

    /// <summary>The archive's file name (for a removal, the archive removed).</summary>
    public string? Archive { get; private init; }

    public ArchiveInfo? Info { get; private init; }

    public long? Sequence { get; private init; }

    public string? Previous { get; private init; }

    public string? KeyId { get; private init; }

    public string? Signature { get; private init; }

    /// <summary>For a removal: when and why, as recorded.</summary>
    public string? RemovedAt { get; private init; }

    public string? Reason { get; private init; }

    /// <summary>For an archive entry: true when the archive existed before the chain reached it (Test-ScoutAuditLog -Adopt).</summary>
    public bool Adopted { get; private init; }

    public bool IsChained => Kind is IndexLineKind.Archive or IndexLineKind.Removal;

    /// <summary>SHA-256 of the line's bytes, lowercase hex: the next chained line's <c>prev</c>.</summary>
    public string Digest => ChainKey.HexSha256(Bytes);

    /// <summary>The bytes the signature covers: the line without its trailing <c>,"sig":"..."</c> member.</summary>
    public byte[] SignedBytes()
    {
        var at = Bytes.AsSpan().LastIndexOf(SignatureMember);
        return at < 0 ? Bytes : [.. Bytes.AsSpan(0, at), (byte)'}'];
    }

    /// <summary>Appends the signature member to an unsigned line.</summary>
    public static byte[] WithSignature(byte[] unsigned, string signature) =>
        [.. unsigned.AsSpan(0, unsigned.Length - 1), .. SignatureMember, .. Encoding.ASCII.GetBytes(signature), (byte)'"', (byte)'}'];

    /// <summary>The lines of an index file's content, blank lines left out.</summary>
    public static List<IndexLine> ParseAll(ReadOnlySpan<byte> content, LogFiles files)
    {
        var lines = new List<IndexLine>();
        var number = 0;
        while (!content.IsEmpty)
        {
            number++;
            var end = content.IndexOf((byte)'\n');
            var line = end < 0 ? content : content[..end];
            content = end < 0 ? [] : content[(end + 1)..];
            if (line.Trim(" \t\r"u8).IsEmpty) continue;
            lines.Add(Parse(number, line.ToArray(), files));
        }
        return lines;
    }

    private static IndexLine Parse(int number, byte[] bytes, LogFiles files)
    {
        try
        {
            using var document = JsonDocument.Parse(bytes);
            var root = document.RootElement;
            var chained = root.TryGetProperty("seq", out var seq);
            var line = new IndexLine(number, bytes, IndexLineKind.Damaged)
            {
                Sequence = chained ? seq.GetInt64() : null,
                Previous = chained && root.GetProperty("prev") is { ValueKind: JsonValueKind.String } prev ? prev.GetString() : null,
                KeyId = OptionalString(root, "key"),
                Signature = OptionalString(root, "sig"),
            };
            if (root.TryGetProperty("removed", out var removed))
            {
                if (!chained) return line;
                var name = FileName(removed.GetString());
                return name is null ? line : line with
                {
                    Kind = IndexLineKind.Removal,
                    Archive = name,
                    Info = Describe(root, files.PathOf(name)),
                    RemovedAt = OptionalString(root, "at"),
                    Reason = OptionalString(root, "reason"),
                };
            }
            var archive = FileName(root.GetProperty("archive").GetString());
            return archive is null ? line : line with
            {
                Kind = chained ? IndexLineKind.Archive : IndexLineKind.Hint,
                Archive = archive,
                Info = Describe(root, files.PathOf(archive)),
                Adopted = root.TryGetProperty("adopted", out var adopted) && adopted.ValueKind == JsonValueKind.True,
            };
        }
        catch (Exception error) when (error is JsonException or InvalidOperationException or KeyNotFoundException or FormatException)
        {
            return new IndexLine(number, bytes, IndexLineKind.Damaged);
        }
    }

    private static ArchiveInfo Describe(JsonElement root, string path) => new(
        path,
        root.GetProperty("gz_bytes").GetInt64(),
        Timestamp(root, "first_ts"),
        Timestamp(root, "last_ts"),
        root.TryGetProperty("lines", out var lines) ? lines.GetInt64() : null,
        root.TryGetProperty("bytes", out var bytes) ? bytes.GetInt64() : null,
        root.GetProperty("sha256").GetString());

    private static string? FileName(string? name) =>
        string.IsNullOrEmpty(name) || name.Contains('/') || name.Contains('\\') ? null : name;

    private static string? OptionalString(JsonElement root, string property) =>
        root.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static DateTimeOffset? Timestamp(JsonElement root, string property) =>
        root.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String &&
        UtcTimestamp.TryParse(Encoding.UTF8.GetBytes(value.GetString()!), out var parsed)
            ? parsed
            : null;
}
