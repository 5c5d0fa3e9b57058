using Microsoft.Win32.SafeHandles;

namespace ScoutAudit.Core;

/// <summary>
/// The 1-based number of the line that starts at an offset of a file, for reads that do not start
/// at the file's beginning (a backward read, a read that resumes after an id, a follower) to name
/// lines as a forward read does. Counted from the offset asked before, forwards or backwards, so
/// a series of questions costs the bytes between them, not the whole file each time; the file
/// only grows (append-only), so what was counted stays true.
/// </summary>
internal sealed class LineNumbers
{
    private long _offset;
    private long _number = 1;

    public long At(SafeFileHandle file, long offset)
    {
        _number = offset >= _offset ? _number + Newlines(file, _offset, offset) : _number - Newlines(file, offset, _offset);
        _offset = offset;
        return _number;
    }

    /// <summary>
    /// Where the first line that starts after <paramref name="offset"/> starts: just past the first
    /// newline at or after it, or <paramref name="length"/> when there is none. Reading from there
    /// yields exactly the lines whose start is after the offset, whether or not a line starts at it.
    /// </summary>
    public static long StartAfter(SafeFileHandle file, long offset, long length)
    {
        var buffer = new byte[4096];
        for (var position = offset; position < length;)
        {
            var n = RandomAccess.Read(file, buffer.AsSpan(0, (int)Math.Min(buffer.Length, length - position)), position);
            if (n == 0) break;
            var newline = buffer.AsSpan(0, n).IndexOf((byte)'\n');
            if (newline >= 0) return position + newline + 1;
            position += n;
        }
        return length;
    }

    private static long Newlines(SafeFileHandle file, long from, long to)
    {
        var buffer = new byte[64 * 1024];
        long newlines = 0;
        for (var position = from; position < to;)
        {
            var n = RandomAccess.Read(file, buffer.AsSpan(0, (int)Math.Min(buffer.Length, to - position)), position);
            if (n == 0) break;
            newlines += buffer.AsSpan(0, n).Count((byte)'\n');
            position += n;
        }
        return newlines;
    }
}
