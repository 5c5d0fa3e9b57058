using System.Text;
using System.Text.Json;

namespace ScoutAudit.Core;

/// <summary>What a line of the archive index is.</summary>
internal enum IndexLineKind
{
    /// <summary>Not an entry in the one form this module writes (a torn write, an edit, a member added or repeated).</summary>
    Damaged,

    /// <summary>An archive's description outside the chain: written before the chain existed, or for an archive the original made.</summary>
    Hint,

    /// <summary>An archive's entry in the chain.</summary>
    Archive,

    /// <summary>The chain's record that an archive was removed on purpose (retention).</summary>
    Removal,

    /// <summary>The chain's record that the active file was sealed into a segment: its name, length and SHA-256, before anything else happened to it.</summary>
    Seal,
}

/// <summary>
/// One line of the archive index as written: its bytes (which the next chained entry's <c>prev</c>
/// hashes), and what it says. A chained line carries <c>seq</c> (0, 1, 2... in file order),
/// <c>prev</c> (SHA-256 of the previous chained line, null for the first) and, when signed,
/// <c>key</c> and <c>sig</c>.
/// <para>
/// A line is an entry only in its canonical form: the bytes <see cref="Encode"/> gives for the values
/// read from it, then, when signed, exactly <c>,"sig":"&lt;base64&gt;"}</c>. So the signature covers
/// every byte whose value is used, and a member added after it, repeated, reordered or unknown makes
/// the line damage rather than a second opinion (JSON parsers disagree about repeated members; a
/// canonical form leaves nothing to disagree about). <see cref="Encode"/> is also how the lines are
/// written, so the rule cannot drift from the writer.
/// </para>
/// </summary>
internal sealed record IndexLine(int Number, byte[] Bytes, IndexLineKind Kind)
{
    private static ReadOnlySpan<byte> SignatureMember => ",\"sig\":\""u8;

    /// <summary>The archive's file name (for a removal, the archive removed; for a seal, the sealed segment).</summary>
    public string? Archive { get; private init; }

    /// <summary>For a seal: the segment's path, length in <see cref="ArchiveDescription.UncompressedBytes"/> and SHA-256 of its bytes in <see cref="ArchiveDescription.Sha256"/>.</summary>
    public ArchiveDescription? Info { get; private init; }

    public long? Sequence { get; private init; }

    public string? Previous { get; private init; }

    public string? KeyId { get; private init; }

    public string? Signature { get; private init; }

    /// <summary>For a removal: when, as recorded.</summary>
    public DateTimeOffset? RemovedAt { get; private init; }

    /// <summary>For a removal: why, as recorded.</summary>
    public string? Reason { get; private init; }

    /// <summary>For an archive entry: true when the archive existed before the chain reached it (Test-ScoutAuditLog -Adopt).</summary>
    public bool Adopted { get; private init; }

    /// <summary>
    /// For a seal: the segment of an earlier seal record whose rename a crash prevented, and whose
    /// bytes the sealer found at the start of this segment (see <see cref="LogRotation.Seal"/>).
    /// </summary>
    public string? Supersedes { get; private init; }

    public bool IsChained => Kind is IndexLineKind.Archive or IndexLineKind.Removal or IndexLineKind.Seal;

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

    /// <summary>An unchained description of an archive (a hint).</summary>
    public static IndexLine Hint(ArchiveDescription info) => new(0, [], IndexLineKind.Hint) { Archive = Path.GetFileName(info.Path), Info = info };

    /// <summary>A chained archive entry, before its place in the chain is known.</summary>
    public static IndexLine ArchiveEntry(ArchiveDescription info, bool adopted) =>
        new(0, [], IndexLineKind.Archive) { Archive = Path.GetFileName(info.Path), Info = info, Adopted = adopted };

    /// <summary>A chained removal record, before its place in the chain is known.</summary>
    public static IndexLine RemovalEntry(ArchiveDescription info, DateTimeOffset at, string reason) =>
        new(0, [], IndexLineKind.Removal) { Archive = Path.GetFileName(info.Path), Info = info, RemovedAt = at, Reason = reason };

    /// <summary>A chained seal record of the segment <paramref name="segmentPath"/>, before its place in the chain is known.</summary>
    public static IndexLine SealEntry(string segmentPath, long length, string sha256, string? supersedes = null) =>
        new(0, [], IndexLineKind.Seal)
        {
            Archive = Path.GetFileName(segmentPath),
            Info = new ArchiveDescription(segmentPath, 0, UncompressedBytes: length, Sha256: sha256),
            Supersedes = supersedes,
        };

    /// <summary>This entry placed after <paramref name="previous"/> (null: the chain's first), naming <paramref name="keyId"/> when it is to be signed.</summary>
    public IndexLine Chained(IndexLine? previous, string? keyId) =>
        this with { Sequence = previous is null ? 0 : previous.Sequence + 1, Previous = previous?.Digest, KeyId = keyId };

    /// <summary>
    /// The canonical bytes of the entry without its signature: the only form in which a line is read
    /// as an entry. Member order is the one this module has always written, so that indexes written
    /// before the form was enforced still read.
    /// </summary>
    public byte[] Encode()
    {
        var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            var info = Info!;
            if (Kind == IndexLineKind.Seal)
            {
                json.WriteString("sealed", Archive);
                json.WriteNumber("bytes", info.UncompressedBytes!.Value);
                json.WriteString("sha256", info.Sha256);
                if (Supersedes is not null) json.WriteString("supersedes", Supersedes);
            }
            else
            {
                json.WriteString(Kind == IndexLineKind.Removal ? "removed" : "archive", Archive);
                WriteTime(json, "first_ts", info.FirstTimestamp);
                WriteTime(json, "last_ts", info.LastTimestamp);
                WriteNumber(json, "lines", info.Lines);
                WriteNumber(json, "bytes", info.UncompressedBytes);
                json.WriteNumber("gz_bytes", info.CompressedBytes);
                json.WriteString("sha256", info.Sha256);
                if (Adopted) json.WriteBoolean("adopted", true);
                if (Kind == IndexLineKind.Removal)
                {
                    WriteTime(json, "at", RemovedAt);
                    json.WriteString("reason", Reason);
                }
            }
            if (IsChained)
            {
                json.WriteNumber("seq", Sequence!.Value);
                json.WriteString("prev", Previous);
                if (KeyId is not null) json.WriteString("key", KeyId);
            }
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }

    private static void WriteTime(Utf8JsonWriter json, string name, DateTimeOffset? time)
    {
        if (time is { } t) json.WriteString(name, UtcTimestamp.Format(t));
        else json.WriteNull(name);
    }

    private static void WriteNumber(Utf8JsonWriter json, string name, long? value)
    {
        if (value is { } v) json.WriteNumber(name, v);
        else json.WriteNull(name);
    }

    /// <summary>The lines of an index file's content, blank lines left out.</summary>
    public static List<IndexLine> ParseAll(ReadOnlySpan<byte> content, LogFiles files)
    {
        var lines = new List<IndexLine>();
        var number = 0;
        while (!content.IsEmpty)
        {
            number++;
            var end = content.IndexOf((byte)'\n');
            var line = LineJudge.WithoutEnding(end < 0 ? content : content[..end]);
            content = end < 0 ? [] : content[(end + 1)..];
            if (LineJudge.IsBlank(line)) continue;
            lines.Add(Parse(number, line.ToArray(), files));
        }
        return lines;
    }

    private static IndexLine Parse(int number, byte[] bytes, LogFiles files)
    {
        var damaged = new IndexLine(number, bytes, IndexLineKind.Damaged);
        var (unsigned, signature) = SplitSignature(bytes);
        IndexLine? read;
        try
        {
            read = Read(number, bytes, unsigned, files);
        }
        catch (Exception error) when (error is JsonException or InvalidOperationException or KeyNotFoundException or FormatException)
        {
            return damaged;
        }
        if (read is null || (signature is not null && (!read.IsChained || read.KeyId is null))) return damaged;
        read = read with { Signature = signature };
        return read.Encode().AsSpan().SequenceEqual(unsigned) ? read : damaged;
    }

    /// <summary>The line without a trailing signature member, and the signature; the signature must be the last member, and base64.</summary>
    private static (byte[] Unsigned, string? Signature) SplitSignature(byte[] bytes)
    {
        var at = bytes.AsSpan().LastIndexOf(SignatureMember);
        if (at < 0 || bytes.Length < at + SignatureMember.Length + 2 || bytes[^1] != (byte)'}' || bytes[^2] != (byte)'"') return (bytes, null);
        var text = bytes.AsSpan(at + SignatureMember.Length, bytes.Length - at - SignatureMember.Length - 2);
        foreach (var b in text)
            if (!(char.IsAsciiLetterOrDigit((char)b) || b is (byte)'+' or (byte)'/' or (byte)'=')) return (bytes, null);
        return ([.. bytes.AsSpan(0, at), (byte)'}'], Encoding.ASCII.GetString(text));
    }

    private static IndexLine? Read(int number, byte[] bytes, byte[] unsigned, LogFiles files)
    {
        using var document = JsonDocument.Parse(unsigned);
        var root = document.RootElement;
        var chained = root.TryGetProperty("seq", out var seq);
        var line = new IndexLine(number, bytes, IndexLineKind.Damaged)
        {
            Sequence = chained ? seq.GetInt64() : null,
            Previous = chained ? OptionalString(root, "prev") : null,
            KeyId = OptionalString(root, "key"),
        };
        if (root.TryGetProperty("sealed", out var segment))
        {
            var name = FileName(segment.GetString());
            return !chained || name is null ? null : line with
            {
                Kind = IndexLineKind.Seal,
                Archive = name,
                Info = new ArchiveDescription(files.PathOf(name), 0, UncompressedBytes: root.GetProperty("bytes").GetInt64(), Sha256: root.GetProperty("sha256").GetString()),
                Supersedes = FileName(OptionalString(root, "supersedes")),
            };
        }
        if (root.TryGetProperty("removed", out var removed))
        {
            var name = FileName(removed.GetString());
            return !chained || name is null ? null : line with
            {
                Kind = IndexLineKind.Removal,
                Archive = name,
                Info = Describe(root, files.PathOf(name)),
                RemovedAt = Timestamp(root, "at"),
                Reason = OptionalString(root, "reason"),
            };
        }
        var archive = FileName(root.GetProperty("archive").GetString());
        return archive is null ? null : line with
        {
            Kind = chained ? IndexLineKind.Archive : IndexLineKind.Hint,
            Archive = archive,
            Info = Describe(root, files.PathOf(archive)),
            Adopted = root.TryGetProperty("adopted", out var adopted) && adopted.ValueKind == JsonValueKind.True,
        };
    }

    private static ArchiveDescription Describe(JsonElement root, string path) => new(
        path,
        root.GetProperty("gz_bytes").GetInt64(),
        Timestamp(root, "first_ts"),
        Timestamp(root, "last_ts"),
        root.TryGetProperty("lines", out var lines) && lines.ValueKind != JsonValueKind.Null ? lines.GetInt64() : null,
        root.TryGetProperty("bytes", out var bytes) && bytes.ValueKind != JsonValueKind.Null ? bytes.GetInt64() : null,
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
