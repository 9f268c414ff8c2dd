/**
 * Image processing for uploaded files: dimensions as displayed, JPEG thumbnails, a tiny inline
 * preview, EXIF metadata stripped, decompression bombs refused before decoding, all on a bounded
 * pool with a time limit. {@link dev.parley.file.image.ImageProcessor} is the entry point.
 */
@NullMarked
package dev.parley.file.image;

import org.jspecify.annotations.NullMarked;
