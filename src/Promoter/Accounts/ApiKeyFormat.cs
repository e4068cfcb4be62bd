using System.IO.Hashing;
using System.Security.Cryptography;
using System.Text;

namespace Promoter.Accounts;

/// <summary>
/// <c>prm_</c> + 43 base62 characters of 256 random bits + 6 base62 characters of CRC-32. The type prefix lets secret
/// scanners spot a leaked key and the checksum lets them (and us) reject a typo without a database look-up.
/// </summary>
public static class ApiKeyFormat
{
    public const string Marker = "prm_";
    public const int PrefixLength = 12;
    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private const int BodyLength = 43;
    private const int ChecksumLength = 6;

    public static string NewKey()
    {
        var body = Base62(RandomNumberGenerator.GetBytes(32), BodyLength);
        return Marker + body + Checksum(body);
    }

    public static bool LooksValid(string key)
    {
        if (key.Length != Marker.Length + BodyLength + ChecksumLength || !key.StartsWith(Marker, StringComparison.Ordinal))
        {
            return false;
        }

        var body = key.AsSpan(Marker.Length, BodyLength);
        foreach (var c in key.AsSpan(Marker.Length))
        {
            if (!Alphabet.Contains(c, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return key.AsSpan(Marker.Length + BodyLength).SequenceEqual(Checksum(body.ToString()));
    }

    public static string PrefixOf(string key) => key[..PrefixLength];

    public static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    private static string Checksum(string body) => Base62(BitConverter.GetBytes(Crc32.HashToUInt32(Encoding.ASCII.GetBytes(body))), ChecksumLength);

    private static string Base62(byte[] bytes, int length)
    {
        var value = new System.Numerics.BigInteger(bytes, isUnsigned: true);
        var chars = new char[length];
        for (var i = length - 1; i >= 0; i--)
        {
            chars[i] = Alphabet[(int)(value % 62)];
            value /= 62;
        }

        return new string(chars);
    }
}
