using Microsoft.Win32.SafeHandles;

namespace ScoutAudit.Core;

/// <summary>
/// Splits the first <c>length</c> bytes of a file into lines from the last to the first, reading
/// blocks backwards from the end, so that the newest lines cost what they are and not what the file
/// is. Memory is bounded by the longest accepted line plus a block, as in <see cref="LineReader"/>.
/// </summary>
internal sealed class BackwardLineReader
{
    private const int BlockBytes = 64 * 1024;

    private readonly SafeFileHandle _file;
    private readonly int _maxLineBytes;
    private byte[] _buffer = new byte[2 * BlockBytes];
    private int _start; // the buffered bytes are _buffer[_start, _start + _count) ...
    private int _count;
    private long _offset; // ... holding the file's bytes [_offset, _offset + _count)
    private long _lineEnd; // the next line returned ends here (its newline, if any, included)

    public BackwardLineReader(SafeFileHandle file, long length, int maxLineBytes = LineReader.DefaultMaxLineBytes)
    {
        _file = file;
        _maxLineBytes = maxLineBytes;
        _offset = _lineEnd = length;
        _start = _buffer.Length;
    }

    /// <summary>The bytes read from the file so far.</summary>
    public long BytesRead { get; private set; }

    /// <summary>Length of the line last reported as <see cref="LineStatus.TooLong"/>, as <see cref="LineReader.SkippedLength"/> gives it.</summary>
    public long SkippedLength { get; private set; }

    /// <summary>
    /// The line before the one last returned, as <see cref="LineReader"/> gives it forwards: without
    /// its ending (<see cref="LineJudge.WithoutEnding"/>), <see cref="LineStatus.Unterminated"/> when it
    /// is the file's last and has no newline, <see cref="LineStatus.TooLong"/> (and empty) when it is
    /// longer than the limit; and its file offset. False once the file's first line has been returned.
    /// The line is valid until the next call.
    /// </summary>
    public bool Previous(out ReadOnlySpan<byte> line, out long offset, out LineStatus status)
    {
        line = default;
        offset = 0;
        status = LineStatus.End;
        if (_lineEnd == 0) return false;
        if (_offset == _lineEnd) ReadBlockBefore();
        var end = _lineEnd;
        var terminated = _buffer[_start + (int)(end - 1 - _offset)] == (byte)'\n';
        if (terminated) end--;
        var tooLong = false;
        long lineStart;
        while (true)
        {
            var searched = _buffer.AsSpan(_start, (int)(Math.Min(end, _offset + _count) - _offset));
            var newline = searched.LastIndexOf((byte)'\n');
            if (newline >= 0)
            {
                lineStart = _offset + newline + 1;
                break;
            }
            if (_offset == 0)
            {
                lineStart = 0;
                break;
            }
            if (end - _offset > _maxLineBytes)
            {
                // Longer than any line read: its bytes are dropped while the search for its start goes on.
                tooLong = true;
                _count = 0;
                _start = _buffer.Length;
            }
            ReadBlockBefore();
        }
        offset = lineStart;
        tooLong |= end - lineStart > _maxLineBytes; // found whole, but still longer than a forward read takes
        if (tooLong)
        {
            status = LineStatus.TooLong;
            SkippedLength = end - lineStart;
        }
        else
        {
            line = LineJudge.WithoutEnding(_buffer.AsSpan(_start + (int)(lineStart - _offset), (int)(end - lineStart)));
            status = terminated ? LineStatus.Line : LineStatus.Unterminated; // only the file's last line can lack its newline
        }
        _lineEnd = lineStart;
        // What comes after the line start is returned: only the bytes before it stay buffered.
        _count = (int)(lineStart - _offset);
        return true;
    }

    /// <summary>Puts the block of the file before the buffered bytes in front of them.</summary>
    private void ReadBlockBefore()
    {
        var read = (int)Math.Min(BlockBytes, _offset);
        if (_start < read)
        {
            // No room before the buffered bytes: they move to the end of a buffer large enough.
            var buffer = _count + read > _buffer.Length ? new byte[Math.Max(2 * _buffer.Length, _count + read)] : _buffer;
            _buffer.AsSpan(_start, _count).CopyTo(buffer.AsSpan(buffer.Length - _count));
            _buffer = buffer;
            _start = buffer.Length - _count;
        }
        var position = _offset - read;
        var target = _buffer.AsSpan(_start - read, read);
        for (var filled = 0; filled < read;)
        {
            var n = RandomAccess.Read(_file, target[filled..], position + filled);
            if (n == 0) throw new EndOfStreamException($"The file ended at byte {position + filled}, before the length the reader was given.");
            filled += n;
        }
        BytesRead += read;
        _start -= read;
        _count += read;
        _offset = position;
    }
}
