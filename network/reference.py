"""Reference data: the 35 member institutions of KLOSS-Net and their email domains.

Signup needs these in production (an address at `kth.se` suggests KTH), so they are loaded by a data
migration (`network/migrations/0007_member_institutions.py`), not by the demo; `seed_demo` builds on
them. Real Swedish higher-education institutions, all members since the network's first meeting
(KTH, 8 March 2017), plus real HEIs that are not members (signup flags their domains in the queue).

`load()` takes the model classes, so the migration can pass its historical models; it is idempotent
and never changes a row the secretariat has edited (rows are looked up by name and by domain).
"""

import datetime

from django.utils.text import slugify

FOUNDED_ON = datetime.date(2017, 3, 8)  # the first network meeting, at KTH: every member since then

# (name, English name, short name, kind, city, email domains)
MEMBER_INSTITUTIONS = [
    ("Kungliga Tekniska högskolan", "KTH Royal Institute of Technology", "KTH", "university", "Stockholm", ["kth.se"]),
    ("Uppsala universitet", "Uppsala University", "UU", "university", "Uppsala", ["uu.se"]),
    ("Lunds universitet", "Lund University", "LU", "university", "Lund", ["lu.se"]),
    ("Göteborgs universitet", "University of Gothenburg", "GU", "university", "Göteborg", ["gu.se"]),
    ("Stockholms universitet", "Stockholm University", "SU", "university", "Stockholm", ["su.se"]),
    ("Umeå universitet", "Umeå University", "UmU", "university", "Umeå", ["umu.se"]),
    ("Linköpings universitet", "Linköping University", "LiU", "university", "Linköping", ["liu.se"]),
    ("Karolinska institutet", "Karolinska Institutet", "KI", "university", "Solna", ["ki.se"]),
    (
        "Chalmers tekniska högskola",
        "Chalmers University of Technology",
        "Chalmers",
        "university",
        "Göteborg",
        ["chalmers.se"],
    ),
    ("Luleå tekniska universitet", "Luleå University of Technology", "LTU", "university", "Luleå", ["ltu.se"]),
    (
        "Sveriges lantbruksuniversitet",
        "Swedish University of Agricultural Sciences",
        "SLU",
        "university",
        "Uppsala",
        ["slu.se"],
    ),
    ("Karlstads universitet", "Karlstad University", "KaU", "university", "Karlstad", ["kau.se"]),
    ("Linnéuniversitetet", "Linnaeus University", "LNU", "university", "Växjö", ["lnu.se"]),
    ("Örebro universitet", "Örebro University", "ORU", "university", "Örebro", ["oru.se"]),
    ("Mittuniversitetet", "Mid Sweden University", "MIUN", "university", "Sundsvall", ["miun.se"]),
    ("Malmö universitet", "Malmö University", "MAU", "university", "Malmö", ["mau.se"]),
    ("Mälardalens universitet", "Mälardalen University", "MDU", "university", "Västerås", ["mdu.se"]),
    ("Högskolan i Borås", "University of Borås", "HB", "college", "Borås", ["hb.se"]),
    ("Högskolan Dalarna", "Dalarna University", "HDa", "college", "Falun", ["du.se"]),
    ("Högskolan i Gävle", "University of Gävle", "HiG", "college", "Gävle", ["hig.se"]),
    ("Högskolan i Halmstad", "Halmstad University", "HH", "college", "Halmstad", ["hh.se"]),
    ("Högskolan Kristianstad", "Kristianstad University", "HKR", "college", "Kristianstad", ["hkr.se"]),
    ("Högskolan Väst", "University West", "HV", "college", "Trollhättan", ["hv.se"]),
    ("Högskolan i Skövde", "University of Skövde", "HiS", "college", "Skövde", ["his.se"]),
    ("Blekinge tekniska högskola", "Blekinge Institute of Technology", "BTH", "college", "Karlskrona", ["bth.se"]),
    ("Jönköping University", "Jönköping University", "JU", "college", "Jönköping", ["ju.se"]),
    ("Södertörns högskola", "Södertörn University", "SH", "college", "Huddinge", ["sh.se"]),
    ("Försvarshögskolan", "Swedish Defence University", "FHS", "college", "Stockholm", ["fhs.se"]),
    (
        "Gymnastik- och idrottshögskolan",
        "The Swedish School of Sport and Health Sciences",
        "GIH",
        "college",
        "Stockholm",
        ["gih.se"],
    ),
    ("Konstfack", "University of Arts, Crafts and Design", "Konstfack", "art_college", "Stockholm", ["konstfack.se"]),
    ("Kungliga Musikhögskolan", "Royal College of Music in Stockholm", "KMH", "art_college", "Stockholm", ["kmh.se"]),
    (
        "Stockholms konstnärliga högskola",
        "Stockholm University of the Arts",
        "SKH",
        "art_college",
        "Stockholm",
        ["uniarts.se"],
    ),
    ("Sophiahemmet Högskola", "Sophiahemmet University", "SHH", "college", "Stockholm", ["shh.se"]),
    ("Marie Cederschiöld högskola", "Marie Cederschiöld University", "MCH", "college", "Stockholm", ["mchs.se"]),
    ("Kungliga Konsthögskolan", "Royal Institute of Art", "KKH", "art_college", "Stockholm", ["kkh.se"]),
]

# Real HEIs that are not members: signup flags their domains in the approval queue.
OTHER_INSTITUTIONS = [
    ("Röda Korsets Högskola", "Swedish Red Cross University", "RKH", "college", "Huddinge", ["rkh.se"]),
    ("Enskilda Högskolan Stockholm", "University College Stockholm", "EHS", "college", "Stockholm", ["ehs.se"]),
]


def load(Institution, InstitutionDomain) -> dict[str, object]:
    """Create the missing institutions and domains; return every reference institution by short name."""
    by_short = {}
    rows = [(row, FOUNDED_ON) for row in MEMBER_INSTITUTIONS] + [(row, None) for row in OTHER_INSTITUTIONS]
    for (name, name_en, short, kind, city, domains), joined_on in rows:
        institution, _ = Institution.objects.get_or_create(
            name=name,
            defaults={
                "name_en": name_en,
                "short_name": short,
                "slug": slugify(short),
                "kind": kind,
                "city": city,
                "website": f"https://www.{domains[0]}/",
                "joined_on": joined_on,
            },
        )
        for domain in domains:
            InstitutionDomain.objects.get_or_create(domain=domain, defaults={"institution": institution})
        by_short[short] = institution
    return by_short
