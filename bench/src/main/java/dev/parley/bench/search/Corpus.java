package dev.parley.bench.search;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Chat-like multilingual texts for the search scenario, the same for the same seed: English, German
 * (umlauts and ß), Chinese, Japanese and Korean, with emoji between words. Words are drawn with a
 * skewed (roughly Zipf-like) frequency, so a query for a common word has thousands of candidates
 * and a rare one a handful, as in real chats. The words the queries look for ({@link Queries}) are
 * in these lists.
 */
public final class Corpus {
  private static final List<String> ENGLISH =
      List.of(
          "the",
          "you",
          "to",
          "and",
          "is",
          "it",
          "we",
          "meeting",
          "tomorrow",
          "lunch",
          "see you",
          "project",
          "please",
          "thanks",
          "call",
          "today",
          "office",
          "report",
          "deadline",
          "weekend",
          "coffee",
          "flight",
          "ticket",
          "review",
          "budget",
          "dinner",
          "hotel",
          "invoice",
          "payment",
          "release",
          "schedule",
          "conference",
          "birthday",
          "quarterly",
          "presentation",
          "spreadsheet",
          "kangaroo",
          "saxophone",
          "lighthouse",
          "zeppelin");

  private static final List<String> GERMAN =
      List.of(
          "und",
          "ich",
          "nicht",
          "das",
          "ist",
          "wir",
          "morgen",
          "heute",
          "Besprechung",
          "Termin",
          "bitte",
          "danke",
          "Müller",
          "Straße",
          "Grüße",
          "schön",
          "Brötchen",
          "Käse",
          "Bahnhof",
          "Flughafen",
          "Rechnung",
          "Wochenende",
          "Geburtstag",
          "Überweisung",
          "Schlüssel",
          "Fahrrad",
          "Kühlschrank",
          "Eichhörnchen");

  private static final List<String> CHINESE =
      List.of(
          "我们", "你", "明天", "开会", "北京", "上海", "今天", "吃饭", "晚上", "公司", "项目", "会议", "谢谢", "时间", "电话",
          "周末", "报告", "问题", "朋友", "机场", "火车", "天气", "熊猫", "长城", "饺子", "咖啡");

  private static final List<String> JAPANESE =
      List.of(
          "です", "ます", "明日", "会議", "東京", "ありがとう", "よろしく", "お疲れ様", "ラーメン", "電車", "新幹線", "週末", "資料",
          "打ち合わせ", "寿司", "富士山", "桜");

  private static final List<String> KOREAN =
      List.of(
          "안녕하세요", "감사합니다", "내일", "회의", "서울", "오늘", "점심", "주말", "프로젝트", "커피", "부산", "김치", "비빔밥",
          "지하철");

  private static final List<String> EMOJI =
      List.of("😀", "👍", "🎉", "❤️", "🙏", "😂", "🔥", "☕", "✈️", "🍣");

  private final SplittableRandom random;

  public Corpus(long seed) {
    this.random = new SplittableRandom(seed);
  }

  /**
   * The next message: 3 to 14 words of one language (a fifth of the messages mix in a second one),
   * an emoji now and then. Not thread-safe: one corpus per generating thread.
   */
  public String next() {
    int language = random.nextInt(100);
    StringBuilder b = new StringBuilder();
    int words = 3 + random.nextInt(12);
    appendWords(b, language, words);
    if (random.nextInt(5) == 0) {
      b.append(' ');
      appendWords(b, random.nextInt(100), 2 + random.nextInt(3));
    }
    return b.toString();
  }

  private void appendWords(StringBuilder b, int language, int words) {
    List<String> list;
    String separator;
    if (language < 40) {
      list = ENGLISH;
      separator = " ";
    } else if (language < 60) {
      list = GERMAN;
      separator = " ";
    } else if (language < 80) {
      list = CHINESE;
      separator = ""; // Chinese and Japanese are written without spaces
    } else if (language < 90) {
      list = JAPANESE;
      separator = "";
    } else {
      list = KOREAN;
      separator = " ";
    }
    for (int i = 0; i < words; i++) {
      if (i > 0) b.append(separator);
      b.append(list.get(skewed(list.size())));
      if (random.nextInt(8) == 0) b.append(' ').append(EMOJI.get(random.nextInt(EMOJI.size())));
    }
  }

  /** An index in [0, n) where low indexes are much more frequent (the square of a uniform draw). */
  private int skewed(int n) {
    double u = random.nextDouble();
    return (int) (u * u * n);
  }
}
