using System.Text;
using ScoutAudit.Core.Tests.Support;

namespace ScoutAudit.Core.Tests;

public class LineReaderTests
{
    private static List<(LineStatus Status, string Text)> ReadAll(string content, int maxLineBytes = 1024, int chunkBytes = 16)
    {
        var reader = new LineReader(new MemoryStream(Encoding.UTF8.GetBytes(content)), maxLineBytes, chunkBytes);
        var found = new List<(LineStatus, string)>();
        while (true)
        {
            var status = reader.Next(out var line);
            if (status == LineStatus.End) return found;
            found.Add((status, Encoding.UTF8.GetString(line)));
        }
    }

    [Fact]
    public void LinesAreSplitOnNewlinesWithCarriageReturnsRemoved() =>
        Assert.Equal([(LineStatus.Line, "first"), (LineStatus.Line, "second"), (LineStatus.Line, "")],
            ReadAll("first\r\nsecond\n\n"));

    [Fact]
    public void EveryCarriageReturnBeforeANewlineBelongsToTheLineEnding() =>
        Assert.Equal([(LineStatus.Line, "first"), (LineStatus.Line, ""), (LineStatus.Line, "a\rb"), (LineStatus.Unterminated, "last")],
            ReadAll("first\r\r\n\r\na\rb\nlast\r"));

    [Theory]
    [MemberData(nameof(OddLines.Kinds), MemberType = typeof(OddLines))]
    public void AForwardReadJudgesAnOddLineAsTheOriginalDoes(string kind)
    {
        using var folder = new TempFolder();
        var path = OddLines.Write(folder, kind);
        var diagnostics = new RecordingDiagnostics();

        Assert.Equal(OddLines.EventsRead(kind), Events.ReadAll(path, diagnostics).Count);

        OddLines.AssertReported(path, kind, diagnostics);
    }

    [Fact]
    public void ALastLineWithoutNewlineIsReportedAsUnterminated() =>
        Assert.Equal([(LineStatus.Line, "whole"), (LineStatus.Unterminated, "torn")], ReadAll("whole\ntorn"));

    [Fact]
    public void LinesLongerThanTheBufferAreJoinedAcrossReads()
    {
        var longLine = new string('a', 700);
        Assert.Equal([(LineStatus.Line, longLine), (LineStatus.Line, "b")], ReadAll(longLine + "\nb\n", chunkBytes: 16));
    }

    [Fact]
    public void ALineOverTheLimitIsSkippedAndReadingGoesOn()
    {
        var content = "ok\n" + new string('x', 5000) + "\nafter\n" + new string('y', 3000);
        var reader = new LineReader(new MemoryStream(Encoding.UTF8.GetBytes(content)), maxLineBytes: 1024, chunkBytes: 64);
        Assert.Equal(LineStatus.Line, reader.Next(out _));
        Assert.Equal(LineStatus.TooLong, reader.Next(out _));
        Assert.Equal((2L, 5000L), (reader.LineNumber, reader.SkippedLength));
        Assert.Equal(LineStatus.Line, reader.Next(out var after));
        Assert.Equal("after", Encoding.UTF8.GetString(after));
        Assert.Equal(LineStatus.TooLong, reader.Next(out _));
        Assert.Equal((4L, 3000L), (reader.LineNumber, reader.SkippedLength));
        Assert.Equal(LineStatus.End, reader.Next(out _));
    }

    [Fact]
    public void AMultiGigabyteLineWithoutNewlineIsReadInBoundedMemory()
    {
        const long lineBytes = 2_500_000_000;
        var valid = "{\"ts\":\"2026-02-13T14:30:22.123Z\",\"event\":\"nav\",\"session_id\":\"s\"}\n"u8.ToArray();
        var stream = new SyntheticStream(lineBytes, tail: [(byte)'\n', .. valid]);
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();

        var reader = new LineReader(stream);
        Assert.Equal(LineStatus.TooLong, reader.Next(out _));
        Assert.Equal(lineBytes, reader.SkippedLength);
        Assert.Equal(LineStatus.Line, reader.Next(out var line));
        Assert.True(AuditLineParser.TryParse(line, out _, out _));

        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        Assert.True(allocated < 32L * 1024 * 1024, $"allocated {allocated} bytes");
    }

    /// <summary>A stream of <c>length</c> bytes of 'x' followed by <c>tail</c>, made up as it is read.</summary>
    private sealed class SyntheticStream(long length, byte[] tail) : Stream
    {
        private long _position;

        public override int Read(byte[] buffer, int offset, int count)
        {
            var total = length + tail.Length;
            var n = (int)Math.Min(count, total - _position);
            for (var i = 0; i < n;)
            {
                if (_position < length)
                {
                    var run = (int)Math.Min(n - i, length - _position);
                    buffer.AsSpan(offset + i, run).Fill((byte)'x');
                    i += run;
                    _position += run;
                }
                else
                {
                    buffer[offset + i++] = tail[_position++ - length];
                }
            }
            return n;
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _position; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
