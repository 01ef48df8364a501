namespace CourseKit;

/// <summary>
/// The SHA-256 a data file must have. For a gzip file (<c>.gz</c>) the hash may be of its decompressed
/// content — gzip output varies with the compressor, the content does not — or of the file's own bytes.
/// </summary>
/// <param name="Sha256">The expected hash, 64 lower-case hex digits.</param>
/// <param name="OfDecompressedContent">True when the hash is of the decompressed content of a <c>.gz</c> file.</param>
/// <param name="Source">Where the value came from (a <c>SHA256SUMS</c> file or CourseKit's table of official hashes), for error messages.</param>
public sealed record FileChecksum(string Sha256, bool OfDecompressedContent, string Source);
