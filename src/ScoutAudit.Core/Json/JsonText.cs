using System.Text;
using System.Text.Json;

namespace ScoutAudit.Core;

/// <summary>
/// Reads JSON strings that System.Text.Json refuses: escapes of unpaired surrogates such as
/// <c>"\udc80"</c>, which Python writes for file names it decoded with surrogateescape. JSON allows
/// any <c>\uXXXX</c> escape, so such a line is valid and is read, and written back the same way.
/// (Only values: an object key with an unpaired surrogate stays unreadable.)
/// </summary>
internal static class JsonText
{
    public static string Read(ref Utf8JsonReader reader)
    {
        try
        {
            return reader.GetString()!;
        }
        catch (InvalidOperationException) when (reader.ValueIsEscaped)
        {
            return Unescape(reader.ValueSpan);
        }
    }

    public static string Read(JsonElement element)
    {
        try
        {
            return element.GetString()!;
        }
        catch (InvalidOperationException)
        {
            var raw = Encoding.UTF8.GetBytes(element.GetRawText());
            return Unescape(raw.AsSpan(1, raw.Length - 2));
        }
    }

    /// <summary>The text of a JSON string's content (between its quotes), every escape resolved, unpaired surrogates kept.</summary>
    public static string Unescape(ReadOnlySpan<byte> content)
    {
        var text = new StringBuilder(content.Length);
        var plainStart = 0;
        for (var i = 0; i < content.Length; i++)
        {
            if (content[i] != (byte)'\\') continue;
            text.Append(Encoding.UTF8.GetString(content[plainStart..i]));
            var kind = (char)content[++i];
            switch (kind)
            {
                case 'n': text.Append('\n'); break;
                case 'r': text.Append('\r'); break;
                case 't': text.Append('\t'); break;
                case 'b': text.Append('\b'); break;
                case 'f': text.Append('\f'); break;
                case 'u':
                    text.Append((char)Convert.ToUInt16(Encoding.ASCII.GetString(content.Slice(i + 1, 4)), 16));
                    i += 4;
                    break;
                default: text.Append(kind); break; // \" \\ \/
            }
            plainStart = i + 1;
        }
        text.Append(Encoding.UTF8.GetString(content[plainStart..]));
        return text.ToString();
    }
}
