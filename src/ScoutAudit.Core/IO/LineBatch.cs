using System.Buffers;

namespace ScoutAudit.Core;

/// <summary>
/// Consecutive lines of a segment copied out of the reader's buffer, so that another thread can
/// parse them while the next ones are read. The bytes and entries come from the shared array pools.
/// </summary>
internal sealed class LineBatch : IDisposable
{
    public const int MaxLines = 2048;
    public const int MaxBytes = 512 * 1024;

    private byte[] _bytes = ArrayPool<byte>.Shared.Rent(MaxBytes);
    private Entry[] _entries = ArrayPool<Entry>.Shared.Rent(MaxLines);
    private int _used;

    /// <summary>One line: what the reader said of it, its number, where it starts in the stream read (Position), and where its bytes are in this batch (Offset, Length).</summary>
    public readonly record struct Entry(LineStatus Status, long LineNumber, long SkippedLength, long Position, int Offset, int Length);

    public int Count { get; private set; }

    /// <summary>Set on the last batch when the stream broke (a damaged archive) after these lines.</summary>
    public InvalidDataException? Damage { get; set; }

    /// <summary>
    /// Full at <see cref="MaxLines"/> lines, or when a line of usual length might no longer fit:
    /// one that does not makes the buffer grow, a copy of everything in it.
    /// </summary>
    public bool IsFull => Count == MaxLines || _bytes.Length - _used < UsualLineRoom;

    private const int UsualLineRoom = 4 * 1024;

    public void Add(LineStatus status, long lineNumber, long skippedLength, long position, ReadOnlySpan<byte> line)
    {
        if (_used + line.Length > _bytes.Length)
        {
            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(_bytes.Length * 2, _used + line.Length));
            _bytes.AsSpan(0, _used).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_bytes);
            _bytes = larger;
        }
        line.CopyTo(_bytes.AsSpan(_used));
        _entries[Count++] = new Entry(status, lineNumber, skippedLength, position, _used, line.Length);
        _used += line.Length;
    }

    public Entry this[int index] => _entries[index];

    public ReadOnlySpan<byte> Line(in Entry entry) => _bytes.AsSpan(entry.Offset, entry.Length);

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_bytes);
        ArrayPool<Entry>.Shared.Return(_entries);
        _bytes = [];
        _entries = [];
    }
}
