using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.IO.Compression;
using Microsoft.Win32.SafeHandles;

namespace ScoutAudit.Core;

/// <summary>
/// How much an archive may decompress to: the one rule every reader of archives obeys (queries, the
/// verifier, the describers of archives), so that a gzip bomb named like an archive, which anyone
/// who can write the log's directory can drop there, costs a bounded read instead of gigabytes on
/// every query.
/// <para>
/// An archive may produce at most <see cref="MaxRatio"/> times its compressed bytes read so far (and
/// <see cref="Floor"/> whatever its size). The ratio is checked as the archive is read, so a bomb is
/// stopped within its first mebibytes rather than at the limit. Past it the read stops with an
/// <see cref="InvalidDataException"/> whose inner exception is a <see cref="SuspiciousArchiveException"/>
/// (so that every reader's handling of a damaged archive holds, and those that say more find it
/// with <see cref="SuspicionIn"/>), and the archive is remembered (see <see cref="Suspects"/>). An
/// archive with a current index entry also stops one byte past the length the entry records: what
/// comes after is not the archive the index describes, and is reported as damage; the ratio does not
/// apply to it (its recorded length bounds it instead), since the module's own archives of very
/// repetitive events pass the ratio honestly.
/// </para>
/// <para>
/// The gzip trailer (its last 4 bytes, ISIZE, the length modulo 2^32) condemns nothing and stops
/// no read, whatever it announces: an archive cut short (the original tool crashing while it gzips,
/// a full disk) ends in deflate bytes, and a bit flipped in a trailer makes it announce anything;
/// their readable events are still read, and the mismatch is reported as damage once the read ends
/// (<see cref="GzipIntegrity"/>). The ratio bounds what a trailer that lies could cost; the report
/// names what it announces.
/// </para>
/// </summary>
internal static class ArchiveBounds
{
    /// <summary>
    /// The most an archive may hold per compressed byte. Measured with
    /// tests/ScoutAudit.Benchmarks/archive-ratios.ps1 on archives the module wrote, and on the same
    /// bytes compressed as the original's Python gzip does (zlib level 9): varied events 7.6:1 (8.0:1
    /// as the original compresses); the most repetitive realistic log, 20,000 bare events differing
    /// only by their time (what the original's <c>log("nav")</c> writes), 121.6:1 (208.6:1); the same
    /// 2 KB config in every event 79.6:1 (165.4:1); a 20 KB prompt in every event 16.6:1 (102.9:1); a
    /// contrived worst, a run of 4000 times one character in every event, 407.9:1 (638.9:1). Deflate
    /// cannot pass 1032:1, and gzip bombs sit there (1 GiB of zeros: 1029:1). 768 is 3.7 times the
    /// highest realistic ratio, above the contrived one, and a quarter under the bombs'.
    /// </summary>
    public const int MaxRatio = 768;

    /// <summary>What any archive may hold whatever its size, so that small archives are never judged by a ratio their gzip header alone skews; reading it costs about a millisecond.</summary>
    public const long Floor = 1024 * 1024;

    /// <summary>Suspects remembered at most; past this many the memory starts over (each costs its dropper a file).</summary>
    private const int SuspectsKept = 1024;

    /// <summary>
    /// The archives found suspicious in this process, by file identity (device, inode, size) and
    /// modification time: a later read reports them again without decompressing a byte. Kept in
    /// memory, not in a sidecar beside the log, because queries are read-only commands and write
    /// nothing in a directory the caller may not own; one pwsh session is where a bomb would
    /// otherwise cost every query. A file changed since (another size or time) is judged anew.
    /// </summary>
    private static readonly ConcurrentDictionary<SuspectKey, SuspiciousArchiveException> Suspects = new();

    /// <summary>The most an archive of <paramref name="compressedBytes"/> may decompress to.</summary>
    public static long LimitFor(long compressedBytes) =>
        compressedBytes > long.MaxValue / MaxRatio ? long.MaxValue : Math.Max(Floor, compressedBytes * MaxRatio);

    /// <summary>
    /// The decompressed bytes of the archive open in <paramref name="file"/>, read under the bound.
    /// <paramref name="indexedLength"/> is the uncompressed length a current index entry records;
    /// <paramref name="counting"/> wraps the compressed bytes (a progress count). Disposing the
    /// stream disposes <paramref name="file"/> unless <paramref name="leaveOpen"/>; when this throws,
    /// the file is the caller's to dispose.
    /// </summary>
    /// <exception cref="InvalidDataException">
    /// With a <see cref="SuspiciousArchiveException"/> inside: found so before (not read again); the
    /// stream throws it too when a bound is passed.
    /// </exception>
    public static Stream Open(string path, FileStream file, long? indexedLength = null, Func<Stream, Stream>? counting = null, bool leaveOpen = false)
    {
        var handle = file.SafeFileHandle;
        var key = KeyOf(handle);
        if (key is { } known && Suspects.TryGetValue(known, out var found)) throw Thrown(found.Recalled(path));
        var compressed = RandomAccess.GetLength(handle);
        var limit = LimitFor(compressed);
        var announced = Trailer(handle, compressed); // named in the report; see the class summary for why it decides nothing
        var taken = new ProgressStream(file, progress: null, leaveOpen);
        return new BoundedStream(path, key, taken, counting?.Invoke(taken) ?? taken, limit, announced, indexedLength);
    }

    /// <summary>The suspicion an archive reader's <see cref="InvalidDataException"/> carries, if that is why it was thrown.</summary>
    public static SuspiciousArchiveException? SuspicionIn(Exception? error) => error?.InnerException as SuspiciousArchiveException;

    private static InvalidDataException Thrown(SuspiciousArchiveException suspicion) => new(suspicion.Message, suspicion);

    private static SuspectKey? KeyOf(SafeFileHandle handle)
    {
        try
        {
            return new SuspectKey(NativeFile.IdentityOf(handle), File.GetLastWriteTimeUtc(handle).Ticks);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or System.ComponentModel.Win32Exception)
        {
            return null; // judged on every read, as before
        }
    }

    private static void Remember(SuspectKey? key, SuspiciousArchiveException suspicion)
    {
        if (key is not { } known) return;
        if (Suspects.Count >= SuspectsKept) Suspects.Clear();
        Suspects[known] = suspicion;
    }

    /// <summary>The length the gzip trailer records (ISIZE, modulo 2^32); null for a file too short to hold one.</summary>
    private static uint? Trailer(SafeFileHandle handle, long length)
    {
        if (length < 18) return null; // shorter than any gzip member
        Span<byte> trailer = stackalloc byte[4];
        return RandomAccess.Read(handle, trailer, length - 4) == 4 ? BinaryPrimitives.ReadUInt32LittleEndian(trailer) : null;
    }

    private readonly record struct SuspectKey(FileIdentity Identity, long ModifiedTicks);

    /// <summary>The decompressed bytes, up to a bound; a byte past it throws.</summary>
    private sealed class BoundedStream : ForwardOnlyStream
    {
        private readonly string _path;
        private readonly SuspectKey? _key;
        private readonly ProgressStream _compressed;
        private readonly long _limit, _cap;
        private readonly uint? _announced;
        private readonly long? _indexed;
        private long _produced;

        public BoundedStream(string path, SuspectKey? key, ProgressStream compressed, Stream source, long limit, uint? announced, long? indexed)
            : base(new GZipStream(source, CompressionMode.Decompress))
        {
            _path = path;
            _key = key;
            _compressed = compressed;
            _limit = limit;
            _announced = announced;
            _indexed = indexed;
            // An archive its current index entry describes is held to the length the entry records, not
            // to the ratio: the module's own archive of events repeating one long run of a character
            // (1 MB of them each) passes 768:1 honestly, and was hidden from queries by the ratio.
            _cap = indexed ?? limit;
        }

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => _produced;
            set => throw new NotSupportedException();
        }

        /// <summary>What the ratio allows for the compressed bytes taken so far.</summary>
        private long RatioAllows => _indexed is not null ? long.MaxValue : Math.Min(_limit, LimitFor(_compressed.Counted));

        public override int Read(Span<byte> buffer)
        {
            if (buffer.IsEmpty) return 0;
            var room = Math.Min(_cap, RatioAllows) - _produced;
            // At a bound the archive must end: one byte more (whose reading may take compressed bytes that allow more) tells.
            var read = Inner.Read(room < buffer.Length ? buffer[..(int)Math.Max(room, 1)] : buffer);
            _produced += read;
            if (_indexed is { } indexed && _produced > indexed)
                throw new InvalidDataException($"it holds more than the {indexed} bytes its index entry records (not the archive the index describes)");
            if (_produced > RatioAllows) throw Thrown(Suspicious());
            return read;
        }

        private SuspiciousArchiveException Suspicious()
        {
            var reason = $"its first {_compressed.Counted} compressed bytes gave more than {Math.Min(_limit, RatioAllows)} bytes, past {MaxRatio} times their size" +
                         (_announced is { } announced ? $"; its gzip trailer announces {announced} bytes" : "");
            var suspicion = new SuspiciousArchiveException(_path, reason, _limit, _produced, _announced);
            Remember(_key, suspicion);
            return suspicion;
        }
    }
}

/// <summary>
/// Why an archive is suspicious: it decompresses past <see cref="ArchiveBounds"/> (a gzip bomb), or
/// was found so before. Thrown inside an
/// <see cref="InvalidDataException"/> (see <see cref="ArchiveBounds.SuspicionIn"/>).
/// </summary>
internal sealed class SuspiciousArchiveException(string path, string reason, long limit, long? produced, uint? announced, bool recalled = false)
    : Exception($"The archive '{path}' is suspicious: {reason}{(recalled ? " (found so earlier in this process: not read again)" : "")}.")
{
    public string Path => path;

    /// <summary>Why, as a clause: "its first 8192 compressed bytes gave more than ...".</summary>
    public string Reason => reason;

    /// <summary>The most an archive of its size may decompress to (<see cref="ArchiveBounds.LimitFor"/>).</summary>
    public long Limit => limit;

    /// <summary>The bytes it produced when the read stopped (one past the bound it passed); null when it was not read.</summary>
    public long? Produced => produced;

    /// <summary>What its gzip trailer announces (modulo 2^32), when it has one.</summary>
    public uint? Announced => announced;

    /// <summary>Whether this is a verdict of an earlier read in this process, given without reading the file.</summary>
    public bool IsRecalled => recalled;

    /// <summary>This verdict, given again for a later read.</summary>
    public SuspiciousArchiveException Recalled(string atPath) => new(atPath, reason, limit, produced, announced, recalled: true);
}
