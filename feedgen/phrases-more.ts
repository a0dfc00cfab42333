import type { LanguagePack } from './phrases-en';

export const NL: LanguagePack = {
  about: [
    '{company} bouwt software waarmee productiebedrijven hun planning eenvoudig rond krijgen.',
    'Bij {company} werken we met zo’n 200 collega’s vanuit ons kantoor in {city}.',
  ],
  role: [
    'Wij zoeken een {title} voor het team {team}.',
    'Als {title} ben je verantwoordelijk voor belangrijke onderwerpen binnen {team}.',
    'Je werkt nauw samen met product, design en klantenservice.',
  ],
  tasksHeading: 'Wat ga je doen?',
  tasks: [
    '- Functionaliteit ontwerpen, bouwen en beheren met {skill} en {skill2}.',
    '- Stap voor stap onze werkwijze rond {skill} verbeteren.',
    '- Kennis delen en het werk van collega’s reviewen.',
  ],
  needsHeading: 'Wie ben jij?',
  needs: [
    '- Minimaal {years} jaar ervaring in een vergelijkbare functie.',
    '- Praktische ervaring met {skill}; kennis van {skill2} is een pré.',
    '- Je spreekt vloeiend Nederlands en goed Engels.',
  ],
  offersHeading: 'Wat bieden wij?',
  offers: [
    '- 27 vakantiedagen en een goede pensioenregeling.',
    '- Een opleidingsbudget.',
    '- Flexibele werktijden.',
  ],
  remote: ['Deze functie is volledig op afstand.'],
  onsite: ['Je werkt vanuit ons kantoor in {city}.', 'Hybride: drie dagen per week op kantoor in {city}.'],
  extra: [
    'Ons team: we hebben heel verschillende achtergronden en waarderen nieuwsgierigheid. We leveren liever vandaag een kleine verbetering dan morgen een perfect plan.',
    'Sollicitatieprocedure: een kennismakingsgesprek, een gesprek met de manager, een praktijkopdracht en een gesprek met het team.',
  ],
  closing: ['Solliciteer direct met je cv!', 'We kijken uit naar je reactie.'],
  requirement: ['{years}+ jaar ervaring met {skill}', 'Goede kennis van {skill}', '{skill}'],
  update: ['Update: de salarisindicatie is aangepast.'],
};

export const PL: LanguagePack = {
  about: [
    '{company} tworzy oprogramowanie, które pomaga firmom produkcyjnym planować pracę.',
    'W {company} pracuje około 200 osób, a nasze biuro znajduje się w mieście {city}.',
  ],
  role: [
    'Szukamy osoby na stanowisko {title} do zespołu {team}.',
    'Jako {title} będziesz odpowiadać za kluczowe obszary zespołu {team}.',
    'Będziesz blisko współpracować z zespołami produktu, designu i wsparcia.',
  ],
  tasksHeading: 'Twoje zadania:',
  tasks: [
    '- Projektowanie, rozwój i utrzymanie funkcjonalności z użyciem {skill} i {skill2}.',
    '- Stopniowe usprawnianie naszych procesów związanych z {skill}.',
    '- Dzielenie się wiedzą i code review.',
  ],
  needsHeading: 'Czego oczekujemy:',
  needs: [
    '- Minimum {years} lata doświadczenia na podobnym stanowisku.',
    '- Praktyczna znajomość {skill}; mile widziana znajomość {skill2}.',
    '- Bardzo dobra znajomość języka polskiego i angielskiego.',
  ],
  offersHeading: 'Oferujemy:',
  offers: [
    '- Umowę o pracę lub B2B.',
    '- Prywatną opiekę medyczną i kartę sportową.',
    '- Budżet szkoleniowy.',
  ],
  remote: ['Praca w pełni zdalna.'],
  onsite: ['Praca z biura w mieście {city}.', 'Model hybrydowy: trzy dni w tygodniu w biurze ({city}).'],
  extra: [
    'Nasz zespół: pochodzimy z bardzo różnych środowisk i cenimy ciekawość. Wolimy dziś dostarczyć małe usprawnienie niż czekać na idealny plan.',
    'Proces rekrutacji: krótka rozmowa telefoniczna, rozmowa z przełożonym, zadanie praktyczne omawiane wspólnie i spotkanie z zespołem.',
  ],
  closing: ['Czekamy na Twoje CV!', 'Aplikuj już dziś.'],
  requirement: ['{years}+ lata doświadczenia z {skill}', 'Dobra znajomość {skill}', '{skill}'],
  update: ['Aktualizacja: zmieniliśmy widełki wynagrodzenia.'],
};

export const IT: LanguagePack = {
  about: [
    '{company} sviluppa software che aiuta le aziende manifatturiere a pianificare la produzione.',
    '{company} è un’azienda di circa 200 persone con sede a {city}.',
  ],
  role: [
    'Cerchiamo un/una {title} da inserire nel team {team}.',
    'Come {title} sarai responsabile di attività chiave del team {team}.',
    'Lavorerai a stretto contatto con prodotto, design e assistenza clienti.',
  ],
  tasksHeading: 'Responsabilità:',
  tasks: [
    '- Progettare, sviluppare e mantenere funzionalità con {skill} e {skill2}.',
    '- Migliorare passo dopo passo i nostri processi legati a {skill}.',
    '- Condividere conoscenze e revisionare il lavoro dei colleghi.',
  ],
  needsHeading: 'Requisiti:',
  needs: [
    '- Almeno {years} anni di esperienza in un ruolo simile.',
    '- Esperienza pratica con {skill}; la conoscenza di {skill2} è un plus.',
    '- Ottima conoscenza dell’italiano e buona conoscenza dell’inglese.',
  ],
  offersHeading: 'Cosa offriamo:',
  offers: [
    '- Buoni pasto e assicurazione sanitaria integrativa.',
    '- Orario flessibile e smart working.',
    '- Budget annuale per la formazione.',
  ],
  remote: ['Posizione completamente da remoto.'],
  onsite: ['Sede di lavoro: {city}.', 'Modalità ibrida, tre giorni a settimana in ufficio a {city}.'],
  extra: [
    'Il nostro team: abbiamo percorsi molto diversi e apprezziamo la curiosità. Preferiamo rilasciare oggi un piccolo miglioramento piuttosto che aspettare un piano perfetto.',
    'Processo di selezione: un primo colloquio conoscitivo, un colloquio con il responsabile, un esercizio pratico discusso insieme e un incontro con il team.',
  ],
  closing: ['Invia il tuo CV, ti aspettiamo!', 'Candidati ora.'],
  requirement: ['{years}+ anni di esperienza con {skill}', 'Buona conoscenza di {skill}', '{skill}'],
  update: ['Aggiornamento: la fascia retributiva è stata rivista.'],
};

export const JA: LanguagePack = {
  about: [
    '{company}は、製造業の生産計画を支援するソフトウェアを開発しています。',
    '{company}は{city}に拠点を置く、社員約200名の企業です。',
  ],
  role: [
    '{team}チームの{title}を募集しています。',
    '{title}として、{team}領域の重要なテーマを担当していただきます。',
    'プロダクト、デザイン、カスタマーサポートの各チームと密に連携します。',
  ],
  tasksHeading: '業務内容：',
  tasks: [
    '・{skill}と{skill2}を用いた機能の設計、開発、運用',
    '・{skill}に関するプロセスの継続的な改善',
    '・チーム内での知識共有とレビュー',
  ],
  needsHeading: '応募資格：',
  needs: [
    '・同様の職種での{years}年以上の実務経験',
    '・{skill}の実務経験（{skill2}の経験があれば尚可）',
    '・ビジネスレベルの日本語',
  ],
  offersHeading: '待遇・福利厚生：',
  offers: ['・完全週休2日制（土日祝）', '・社会保険完備', '・書籍購入・研修費用補助'],
  remote: ['フルリモート勤務が可能です。'],
  onsite: ['勤務地：{city}オフィス', '週3日出社のハイブリッド勤務（{city}）'],
  extra: [
    '私たちのチーム：さまざまなバックグラウンドを持つメンバーが在籍しています。完璧な計画よりも、今日届けられる小さな改善を大切にしています。',
    '選考プロセス：書類選考、カジュアル面談、実技課題、チームとの面接を経て、約2週間で結果をお知らせします。',
  ],
  closing: ['ご応募をお待ちしております。', 'まずはお気軽にご応募ください。'],
  requirement: ['{skill}の実務経験{years}年以上', '{skill}に関する知識', '{skill}'],
  update: ['更新：給与レンジを見直しました。'],
};
