// The strings of images, files and avatars, in the languages of i18n.js (which merges them in).
export const MEDIA_STRINGS = {
  en: {
    attach: 'Attach a file or picture', openImage: 'Open the picture', download: 'Download',
    downloadOriginal: 'Download the original', uploading: 'Uploading {0}', retry: 'Retry',
    preparing: 'Preparing…', checking: 'Checking…', uploadStarting: 'Starting…',
    fileTooLarge: 'Too large: this server does not accept files of this size',
    fileTypeRefused: 'This server does not accept this type of file',
    imageRejected: 'The picture could not be read', uploadFailed: 'The upload failed',
    uploadingAvatar: 'Uploading the picture…', setAvatar: 'Add a picture', changeAvatar: 'Change the picture',
    removeAvatar: 'Remove the picture',
  },
  'zh-CN': {
    attach: '发送文件或图片', openImage: '查看图片', download: '下载',
    downloadOriginal: '下载原图', uploading: '正在上传 {0}', retry: '重试',
    preparing: '准备中…', checking: '校验中…', uploadStarting: '开始上传…',
    fileTooLarge: '文件过大：服务器不接受这么大的文件',
    fileTypeRefused: '服务器不接受这种类型的文件',
    imageRejected: '无法读取这张图片', uploadFailed: '上传失败',
    uploadingAvatar: '正在上传头像…', setAvatar: '设置头像', changeAvatar: '更换头像',
    removeAvatar: '移除头像',
  },
};
